#!/usr/bin/env Rscript
# Per-series fit times of R forecast 8.20, for bench/Statistical's speed comparison (dev-only).
#
#   Rscript bench/Statistical/r/time-fits.R <series.csv> <season_length> <method>
#
# <series.csv>: unique_id,y rows, one series after another (the contexts our side fits). method: ets (ets(x)) or
# arima (auto.arima(x)), default arguments, ts frequency = season_length, set.seed(1) before each fit. Every series
# is fitted once untimed first (R loads the package's lazy code and byte-compiles closures on first use, as our side
# warms up its JIT on every series), so the timed fits are steady ones.
# Prints unique_id,seconds,cpu_seconds (elapsed wall time and user + system CPU time of the fit call alone).
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], stringsAsFactors = FALSE)
m <- as.integer(args[2]); method <- args[3]
fit <- switch(method, ets = function(x) ets(x), arima = function(x) auto.arima(x), stop("method must be ets or arima"))
ids <- unique(data$unique_id)
for (id in ids) invisible(fit(ts(data$y[data$unique_id == id], frequency = m)))
cat("unique_id,seconds,cpu_seconds\n")
for (id in ids) {
  x <- ts(data$y[data$unique_id == id], frequency = m)
  set.seed(1)
  t0 <- proc.time()
  invisible(fit(x))
  d <- proc.time() - t0
  cat(id, ",", sprintf("%.6f", d[["elapsed"]]), ",", sprintf("%.6f", d[["user.self"]] + d[["sys.self"]]), "\n", sep = "")
}
