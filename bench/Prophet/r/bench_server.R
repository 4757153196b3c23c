# Dev-only R side of `dotnet run -c Release --project bench/Prophet` (needs R 4.2 + prophet 1.0:
# `apt-get install -y r-cran-prophet`). The benchmark starts this script once and drives it over stdin/stdout, so R
# and the port run alternately in one run on the same machine:
#   load <case-dir>   build the case's model, history and future frame (golden_case.R)  -> "ready <rows>"
#   fit               fit.prophet(model, history)                                       -> "fit <elapsed s> <rstan value>"
#   fitblock <k>      k consecutive fit.prophet(model, history), each timed             -> "fitblock <s_1> ... <s_k>"
#   fitpredict        fit.prophet, then predict(future) with 1000 samples               -> "fitpredict <elapsed s>"
#   quit
# Elapsed seconds are proc.time()'s wall clock around the call, as the golden cases' timing.json measured prophet().
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "golden_case.R"))
input <- file("stdin", "r")
case <- NULL
cat("hello", as.character(packageVersion("prophet")), as.character(packageVersion("rstan")), R.version$major, R.version$minor, "\n")
flush(stdout())
repeat {
  line <- readLines(input, n = 1)
  if (length(line) == 0 || line == "quit") break
  words <- strsplit(line, " ", fixed = TRUE)[[1]]
  if (words[1] == "load") {
    case <- golden_model(paste(words[-1], collapse = " "))
    fitted <- suppressMessages(fit.prophet(case$model, case$history))
    case$future_frame <- case$future(fitted)
    cat("ready", nrow(case$history), "\n")
  } else if (words[1] == "fit") {
    start <- proc.time()[["elapsed"]]
    fitted <- suppressMessages(fit.prophet(case$model, case$history))
    cat(sprintf("fit %.6f %.17g\n", proc.time()[["elapsed"]] - start, fitted$stan.fit$value))
  } else if (words[1] == "fitblock") {
    times <- numeric(as.integer(words[2]))
    for (i in seq_along(times)) {
      start <- proc.time()[["elapsed"]]
      fitted <- suppressMessages(fit.prophet(case$model, case$history))
      times[i] <- proc.time()[["elapsed"]] - start
    }
    cat("fitblock", sprintf("%.6f", times), "\n")
  } else if (words[1] == "fitpredict") {
    start <- proc.time()[["elapsed"]]
    fitted <- suppressMessages(fit.prophet(case$model, case$history))
    forecast <- predict(fitted, case$future_frame)
    cat(sprintf("fitpredict %.6f\n", proc.time()[["elapsed"]] - start))
  } else {
    cat("error unknown command", line, "\n")
  }
  flush(stdout())
}
