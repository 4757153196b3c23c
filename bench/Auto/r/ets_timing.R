# R forecast 8.20's ets() + forecast() on some series of a shared dataset, timed per series, as the baselines ran it
# (ts frequency = season length, at most the last 3000 training points, intervals at 20/40/60/80 %).
#   Rscript ets_timing.R <data.csv> <horizon> <season_length> <id1,id2,...>
# Prints one line per series: id,seconds
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], stringsAsFactors = FALSE)
h <- as.integer(args[2])
m <- as.integer(args[3])
ids <- strsplit(args[4], ",")[[1]]
for (id in ids) {
  y <- data$y[data$unique_id == id]
  train <- head(y, length(y) - h)
  train <- tail(train, 3000)
  set.seed(1)
  t0 <- proc.time()[["elapsed"]]
  fc <- forecast(ets(ts(train, frequency = m)), h = h, level = c(20, 40, 60, 80))
  cat(sprintf("%s,%.3f\n", id, proc.time()[["elapsed"]] - t0))
}
