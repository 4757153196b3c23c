#!/usr/bin/env Rscript
# Golden MSTL forecasts of R forecast 8.20 for tests/Statistical.Tests (dev-only; needs Debian's r-cran-forecast).
#
#   Rscript bench/Statistical/r/make-mstl-goldens.R <data-dir> <out-dir>
#
# For a few series with two seasonalities — m4_hourly (24 and 168) and taylor_halfhourly (48 and 336), whose
# extra_season_lengths datasets.yaml lists — the training part (all but the last `horizon` points, at most its last
# 3000 points; taylor also its first 1000 points, id "taylor@1000"), as msts(x, seasonal.periods = c(m, m2)):
#   fit <- mstl(x)                                      # defaults: iterate = 2, s.window = 7 + 4 * seq(6)
#   fc  <- forecast(fit, h = horizon, level = ...)      # forecast.mstl: ETS "ZZN" of seasadj(fit), seasonal naive seasons
# Writes <out-dir>/<dataset>/mstl_models.csv (the ETS form of the adjusted series, its sigma2 as a hex double),
# mstl_forecasts.csv (mean and the bounds of the 20/40/60/80/95% intervals per step) and mstl_components.csv (trend
# and each seasonal component per point; hex doubles, sprintf("%a")).
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- args[1]; out_dir <- args[2]
levels <- c(20, 40, 60, 80, 95)
hex <- function(x) sprintf("%a", x)

cases <- list(
  list(dataset = "m4_hourly", periods = c(24, 168), horizon = 48, ids = c("H1", "H105", "H150", "H413")),
  list(dataset = "taylor_halfhourly", periods = c(48, 336), horizon = 48, ids = c("taylor", "taylor@1000")))

for (case in cases) {
  data <- read.csv(file.path(data_dir, case$dataset, "data.csv"), stringsAsFactors = FALSE)
  folder <- file.path(out_dir, case$dataset)
  dir.create(folder, recursive = TRUE, showWarnings = FALSE)
  models <- NULL; forecasts <- NULL; components <- NULL
  for (id in case$ids) {
    source_id <- sub("@.*", "", id)
    y <- data$y[data$unique_id == source_id]
    train <- head(y, length(y) - case$horizon)
    x <- if (grepl("@", id)) head(train, as.integer(sub(".*@", "", id))) else tail(train, 3000)
    fit <- mstl(msts(x, seasonal.periods = case$periods))
    fc <- forecast(fit, h = case$horizon, level = levels)
    cols <- list(mean = hex(as.numeric(fc$mean)))
    for (i in seq_along(levels)) {
      cols[[paste0("lo", levels[i])]] <- hex(as.numeric(fc$lower[, i]))
      cols[[paste0("hi", levels[i])]] <- hex(as.numeric(fc$upper[, i]))
    }
    forecasts <- rbind(forecasts, data.frame(unique_id = id, step = seq_len(case$horizon), cols))
    models <- rbind(models, data.frame(unique_id = id, n = length(x), periods = paste(case$periods, collapse = " "),
                                       form = fc$model$method, sigma2 = hex(fc$model$sigma2)))
    seasonal <- fit[, grep("Seasonal", colnames(fit)), drop = FALSE]
    components <- rbind(components, data.frame(unique_id = id, t = seq_along(x), trend = hex(as.numeric(fit[, "Trend"])),
                                               seasonal1 = hex(as.numeric(seasonal[, 1])), seasonal2 = hex(as.numeric(seasonal[, 2]))))
    cat(case$dataset, id, length(x), fc$model$method, "\n")
  }
  write.csv(models, file.path(folder, "mstl_models.csv"), row.names = FALSE)
  write.csv(forecasts, file.path(folder, "mstl_forecasts.csv"), row.names = FALSE)
  write.csv(components, file.path(folder, "mstl_components.csv"), row.names = FALSE)
}
