#!/usr/bin/env Rscript
# Golden fits of R forecast 8.20 for tests/Statistical.Tests (dev-only; needs Debian's r-cran-forecast).
#
#   Rscript bench/Statistical/r/make-goldens.R <data-dir> <out-dir> <dataset> [methods] [max-series]
#
# <data-dir> holds datasets.yaml and <dataset>/data.csv (long format unique_id,ds,y); methods is a comma list of
# ets, arima, theta (default all); max-series stops after that many series (the subset first). Protocol as the shared baselines: train = all but the last `horizon` points,
# models see at most the last 3000 training points, ts frequency = season_length, default arguments, set.seed(1)
# before each call. Writes <out-dir>/<dataset>/<method>_models.csv (form, parameters, criteria, timing) and
# <method>_forecasts.csv (mean and the bounds of the 20/40/60/80/95% intervals per step). Rows are appended as each
# series finishes (a long run can be stopped and resumed: series already in the models file are skipped), the
# baselines' subset (positions round(seq(1, N, length.out = 24)) for hourly, 20 for weekly M4) first.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- args[1]; out_dir <- args[2]; dataset <- args[3]
methods <- if (length(args) >= 4) strsplit(args[4], ",")[[1]] else c("ets", "arima", "theta")

# datasets.yaml: read season_length and horizon of <dataset> without a YAML package.
yaml <- readLines(file.path(data_dir, "datasets.yaml"))
start <- grep(paste0("^  ", dataset, ":$"), yaml)
block <- yaml[(start + 1):length(yaml)]
block <- block[seq_len(which(!grepl("^    ", block))[1] - 1)]
field <- function(name) as.integer(sub(".*: *", "", grep(paste0("^    ", name, ":"), block, value = TRUE)[1]))
m <- field("season_length"); horizon <- field("horizon")

data <- read.csv(file.path(data_dir, dataset, "data.csv"), stringsAsFactors = FALSE)
ids <- unique(data$unique_id)
subset_n <- c(m4_hourly = 24, m4_weekly = 20)[dataset]
if (!is.na(subset_n)) {
  first <- ids[round(seq(1, length(ids), length.out = subset_n))]
  ids <- c(first, setdiff(ids, first))
}
if (length(args) >= 5) ids <- head(ids, as.integer(args[5]))
dir.create(file.path(out_dir, dataset), recursive = TRUE, showWarnings = FALSE)
levels <- c(20, 40, 60, 80, 95)
hex <- function(x) sprintf("%a", x)   # exact doubles

bounds_row <- function(fc) {
  cols <- list(mean = hex(as.numeric(fc$mean)))
  for (i in seq_along(levels)) {
    cols[[paste0("lo", levels[i])]] <- hex(as.numeric(fc$lower[, i]))
    cols[[paste0("hi", levels[i])]] <- hex(as.numeric(fc$upper[, i]))
  }
  cols
}

append_csv <- function(df, path) {
  write.table(df, path, sep = ",", row.names = FALSE, col.names = !file.exists(path), append = file.exists(path), qmethod = "double")
}

for (method in methods) {
  models_path <- file.path(out_dir, dataset, paste0(method, "_models.csv"))
  forecasts_path <- file.path(out_dir, dataset, paste0(method, "_forecasts.csv"))
  done <- if (file.exists(models_path)) read.csv(models_path, stringsAsFactors = FALSE)$unique_id else character()
  for (id in setdiff(ids, done)) {
    y <- data$y[data$unique_id == id]
    train <- head(y, length(y) - horizon)
    x <- ts(tail(train, 3000), frequency = m)
    set.seed(1)
    t0 <- proc.time()[["elapsed"]]
    res <- tryCatch({
      if (method == "ets") {
        fit <- ets(x)
        fc <- forecast(fit, h = horizon, level = levels)
        par <- fit$par
        list(form = fit$method, fc = fc,
             detail = c(alpha = unname(par["alpha"]), beta = unname(par["beta"]), gamma = unname(par["gamma"]),
                        phi = unname(par["phi"]), sigma2 = fit$sigma2, loglik = fit$loglik, aicc = fit$aicc),
             states = paste(hex(unname(fit$initstate)), collapse = " "))
      } else if (method == "arima") {
        fit <- auto.arima(x)
        fc <- forecast(fit, h = horizon, level = levels)
        coefs <- paste(paste0(names(fit$coef), "=", hex(unname(fit$coef))), collapse = " ")
        list(form = forecast:::arima.string(fit), fc = fc,
             detail = c(sigma2 = fit$sigma2, loglik = fit$loglik, aicc = fit$aicc),
             states = coefs)
      } else {
        fc <- thetaf(x, h = horizon, level = levels)
        list(form = "Theta", fc = fc,
             detail = c(alpha = unname(fc$model$alpha), drift = unname(fc$model$drift), sigma2 = unname(fc$model$sigma)),
             states = "")
      }
    }, error = function(e) list(error = conditionMessage(e)))
    seconds <- proc.time()[["elapsed"]] - t0
    if (!is.null(res$error)) {
      append_csv(data.frame(unique_id = id, form = NA, status = res$error, seconds = seconds,
                            n_context = length(x), detail = "", states = ""), models_path)
      next
    }
    detail <- paste(paste0(names(res$detail), "=", hex(unname(res$detail))), collapse = " ")
    append_csv(data.frame(unique_id = id, step = seq_len(horizon), bounds_row(res$fc)), forecasts_path)
    append_csv(data.frame(unique_id = id, form = res$form, status = "ok", seconds = seconds,
                          n_context = length(x), detail = detail, states = res$states), models_path)
    cat(dataset, method, id, res$form, sprintf("%.2fs", seconds), "\n")
  }
}
