# Dev-only: writes the inputs (input.csv, options.json, and future.csv.gz where a case has extra future columns) of
# the golden cases added for issue 13 into <golden-dir>/<case>; make_golden_case.R then fits each with R prophet 1.0.
# Usage: Rscript make_issue13_cases.R <golden-dir> <shared-data-dir>
args <- commandArgs(trailingOnly = TRUE)
golden <- args[1]
data <- args[2]
write_case <- function(name, input, options, future = NULL) {
  dir <- file.path(golden, name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write.csv(input, file.path(dir, "input.csv"), row.names = FALSE, quote = FALSE)
  options <- c(options, list(interval_width = 0.8, uncertainty_samples = 1000, seed_before_predict = 42,
                             prophet_version = "1.0", rstan_version = "2.21.7"))
  jsonlite::write_json(options, file.path(dir, "options.json"), auto_unbox = TRUE, pretty = TRUE, digits = NA)
  if (!is.null(future)) {
    con <- gzfile(file.path(dir, "future.csv.gz"), "w")
    write.csv(future, con, row.names = FALSE, quote = FALSE)
    close(con)
  }
}
read_series <- function(file, id) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  d <- d[d$unique_id == id, c("ds", "y")]
  rownames(d) <- NULL
  d
}
peyton <- read.csv(file.path(golden, "peyton_default", "input.csv"), stringsAsFactors = FALSE)
nfl_season <- function(ds) { month <- as.numeric(format(as.Date(ds), "%m")); month > 8 | month < 2 }

# prophet's documentation example of conditional seasonalities: weekly seasonality split by NFL season.
future_ds <- format(seq(as.Date(max(peyton$ds)) + 1, by = "day", length.out = 365), "%Y-%m-%d")
all_ds <- c(peyton$ds, future_ds)
write_case("peyton_conditional_seasonality",
           data.frame(ds = peyton$ds, y = sprintf("%.17g", peyton$y), on_season = nfl_season(peyton$ds), off_season = !nfl_season(peyton$ds)),
           list(weekly_seasonality = FALSE,
                seasonalities = data.frame(name = c("weekly_on_season", "weekly_off_season"), period = 7, fourier_order = 3,
                                           condition_name = c("on_season", "off_season")),
                note = "prophet docs, seasonality with conditions: weekly seasonality on/off NFL season (month > 8 or < 2)"),
           data.frame(ds = all_ds, on_season = nfl_season(all_ds), off_season = !nfl_season(all_ds)))

# Custom seasonality with a non-default Fourier order and mode, and a numeric yearly_seasonality.
retail <- read.csv(file.path(golden, "retail_default", "input.csv"), stringsAsFactors = FALSE)
write_case("retail_custom_seasonalities", retail,
           list(yearly_seasonality = 4,
                seasonalities = data.frame(name = "quarterly", period = 91.3125, fourier_order = 3, prior_scale = 5, mode = "multiplicative"),
                future_periods = 24, future_freq = "month",
                note = "yearly_seasonality = 4 and a multiplicative quarterly seasonality (order 3, prior 5) on additive defaults"))

# Explicit changepoints with a looser changepoint prior.
write_case("peyton_explicit_changepoints", peyton[1:1000, ],
           list(changepoints = c("2008-06-01", "2009-01-15", "2009-09-01", "2010-03-01"), changepoint_prior_scale = 0.5,
                future_periods = 90, future_freq = "day",
                note = "first 1000 days of peyton, four explicit changepoints, changepoint_prior_scale 0.5"))

# prophet's documentation example of saturating minimum: logistic growth with cap 6 and floor 1.5 on 10 - y.
wp <- read.csv(file.path(golden, "wp_R_logistic", "input.csv"), stringsAsFactors = FALSE)
write_case("wp_R_logistic_floor", data.frame(ds = wp$ds, y = sprintf("%.17g", 10 - wp$y)),
           list(growth = "logistic", cap = 6, floor = 1.5, future_periods = 365, future_freq = "day",
                note = "prophet docs, saturating minimum: y = 10 - y, cap 6, floor 1.5"))

# Short series (T < 30; Newton in R): 16 quarters of UKgas (more parameters than rows: R stops at a local mode),
# 19 years of Nile (yearly data: the yearly seasonality is near constant).
write_case("short_quarterly_ukgas", read_series(file.path(data, "rdatasets_quarterly", "data.csv"), "UKgas")[1:16, ],
           list(future_periods = 8, future_freq = "quarter", note = "first 16 quarters of UKgas (R datasets), defaults"))
write_case("short_yearly_nile", read_series(file.path(data, "rdatasets_yearly", "data.csv"), "Nile")[1:19, ],
           list(future_periods = 6, future_freq = "year", note = "first 19 years of Nile (R datasets), defaults"))
