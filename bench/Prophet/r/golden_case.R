# Dev-only (needs R 4.2 + prophet 1.0: `apt-get install -y r-cran-prophet`). Sourced by trace_golden_case.R,
# make_golden_case.R and bench_server.R: builds the prophet model, history and future frame of one golden case from
# its input.csv and options.json, mapping every option a case can carry (prophet() arguments, add_seasonality,
# add_regressor, add_country_holidays). tests/Prophet.Tests/Golden/GoldenCase.cs maps the same keys for the port.
#
# options.json keys (prophet's argument names in snake case; all optional):
#   growth, changepoints ["yyyy-mm-dd", ...], n_changepoints, changepoint_range, changepoint_prior_scale,
#   yearly_seasonality / weekly_seasonality / daily_seasonality ("auto", true, false or a Fourier order),
#   seasonality_mode, seasonality_prior_scale, holidays_prior_scale, interval_width, uncertainty_samples,
#   holidays [{holiday, ds, lower_window, upper_window[, prior_scale]}], country_holidays "US",
#   seasonalities [{name, period, fourier_order[, prior_scale][, mode][, condition_name]}],
#   extra_regressors [{name[, prior_scale][, standardize][, mode]}],
#   cap / floor (numbers, when input.csv has no such column), future_periods + future_freq (used when the case
#   has no future.csv.gz: make_future_dataframe(m, future_periods, future_freq)).
suppressMessages(library(prophet))

seasonality_arg <- function(value) {
  if (is.null(value)) return("auto")
  if (is.character(value)) return(value)
  value
}

golden_model <- function(dir) {
  df <- read.csv(file.path(dir, "input.csv"), stringsAsFactors = FALSE)
  o <- jsonlite::fromJSON(file.path(dir, "options.json"))
  get <- function(name, default) if (is.null(o[[name]])) default else o[[name]]
  growth <- get("growth", "linear")
  if (growth == "logistic" && is.null(df$cap)) df$cap <- o$cap
  if (!is.null(o$floor) && is.null(df$floor)) df$floor <- o$floor
  holidays <- NULL
  if (!is.null(o$holidays)) {
    h <- o$holidays
    holidays <- data.frame(holiday = h$holiday, ds = as.Date(h$ds), lower_window = h$lower_window,
                           upper_window = h$upper_window, stringsAsFactors = FALSE)
    if (!is.null(h$prior_scale)) holidays$prior_scale <- h$prior_scale
  }
  m <- prophet(growth = growth,
               changepoints = if (is.null(o$changepoints)) NULL else as.Date(o$changepoints),
               n.changepoints = get("n_changepoints", 25),
               changepoint.range = get("changepoint_range", 0.8),
               yearly.seasonality = seasonality_arg(o$yearly_seasonality),
               weekly.seasonality = seasonality_arg(o$weekly_seasonality),
               daily.seasonality = seasonality_arg(o$daily_seasonality),
               holidays = holidays,
               seasonality.mode = get("seasonality_mode", "additive"),
               seasonality.prior.scale = get("seasonality_prior_scale", 10),
               holidays.prior.scale = get("holidays_prior_scale", 10),
               changepoint.prior.scale = get("changepoint_prior_scale", 0.05),
               interval.width = get("interval_width", 0.8),
               uncertainty.samples = get("uncertainty_samples", 1000),
               fit = FALSE)
  if (!is.null(o$country_holidays)) m <- add_country_holidays(m, o$country_holidays)
  if (!is.null(o$seasonalities)) {
    s <- o$seasonalities
    for (i in seq_len(nrow(s))) {
      field <- function(name) if (is.null(s[[name]]) || is.na(s[[name]][i])) NULL else s[[name]][i]
      m <- add_seasonality(m, name = s$name[i], period = s$period[i], fourier.order = s$fourier_order[i],
                           prior.scale = field("prior_scale"), mode = field("mode"),
                           condition.name = field("condition_name"))
    }
  }
  if (!is.null(o$extra_regressors)) {
    r <- o$extra_regressors
    for (i in seq_len(nrow(r))) {
      field <- function(name, default) if (is.null(r[[name]]) || is.na(r[[name]][i])) default else r[[name]][i]
      m <- add_regressor(m, r$name[i], prior.scale = field("prior_scale", NULL),
                         standardize = field("standardize", "auto"), mode = field("mode", NULL))
    }
  }
  list(model = m, history = df, options = o, future = function(fitted) golden_future(dir, fitted, o))
}

# The frame predict() runs on: future.csv.gz (ds plus every extra column: cap, floor, regressors, conditions) when the
# case has one, else make_future_dataframe(m, future_periods, future_freq) with the options' cap and floor.
golden_future <- function(dir, fitted, o) {
  path <- file.path(dir, "future.csv.gz")
  if (file.exists(path)) return(read.csv(gzfile(path), stringsAsFactors = FALSE))
  future <- make_future_dataframe(fitted, periods = o$future_periods, freq = if (is.null(o$future_freq)) "day" else o$future_freq)
  if (!is.null(o$cap)) future$cap <- o$cap
  if (!is.null(o$floor)) future$floor <- o$floor
  future
}
