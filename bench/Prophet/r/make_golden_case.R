# Dev-only (needs R 4.2 + prophet 1.0: `apt-get install -y r-cran-prophet`). Makes a golden case of R prophet 1.0
# from a folder holding input.csv and options.json (and optionally future.csv.gz), in the layout of
# tests/Prophet.Tests/Fixtures/golden: params.json (fitted parameters, feature names, rstan's algorithm, return code
# and log posterior), stan_data.json.gz (the exact Stan data and init prophet passed to rstan::optimizing),
# forecast.csv.gz (predict() on the future frame, %.17g, set.seed(42) first), future.csv.gz (written when absent:
# make_future_dataframe(future_periods, future_freq) with the options' cap and floor) and timing.json.
# Every golden test of the port then runs the new case. Usage: Rscript make_golden_case.R <case-dir>
all_args <- commandArgs(trailingOnly = FALSE)
source(file.path(dirname(normalizePath(sub("^--file=", "", all_args[grep("^--file=", all_args)]))), "golden_case.R"))
dir <- commandArgs(trailingOnly = TRUE)[1]

# Record what prophet passes to rstan::optimizing (every call: L-BFGS, then Newton when L-BFGS fails).
original <- rstan::optimizing
calls <- list()
wrapper <- function(object, data, init, ...) {
  fit <- original(object, data = data, init = init, ...)
  calls[[length(calls) + 1]] <<- list(data = data, init = init(), algorithm = list(...)$algorithm, fit = fit)
  fit
}
unlockBinding("optimizing", asNamespace("rstan"))
assignInNamespace("optimizing", wrapper, ns = "rstan")

golden <- golden_model(dir)
m <- suppressMessages(fit.prophet(golden$model, golden$history))
first <- calls[[1]]
last <- calls[[length(calls)]]
algorithm <- if (length(calls) > 1) "LBFGS -> Newton fallback" else last$algorithm
rstan_calls <- length(calls)
write_gz_json <- function(value, path) {
  con <- gzfile(path, "w")
  writeLines(jsonlite::toJSON(value, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"), con)
  close(con)
}
d <- first$data
stan_data <- list(T = d$T, K = d$K, S = d$S, y = as.numeric(d$y), t = as.numeric(d$t), cap = as.numeric(d$cap),
                  t_change = as.numeric(d$t_change), X = unname(as.matrix(d$X)), sigmas = as.numeric(d$sigmas),
                  tau = d$tau, trend_indicator = d$trend_indicator, s_a = as.numeric(d$s_a), s_m = as.numeric(d$s_m),
                  init = lapply(first$init, as.numeric))
write_gz_json(stan_data, file.path(dir, "stan_data.json.gz"))
p <- m$params
params <- list(k = as.numeric(p$k), m = as.numeric(p$m), delta = as.numeric(p$delta), beta = as.numeric(p$beta),
               sigma_obs = as.numeric(p$sigma_obs), y_scale = m$y.scale, logistic_floor = m$logistic.floor,
               start = format(m$start, "%Y-%m-%d %H:%M:%S", tz = "UTC"), t_scale_s = as.numeric(m$t.scale),
               changepoints = format(m$changepoints, "%Y-%m-%d %H:%M:%S", tz = "UTC"),
               changepoints_t = as.numeric(m$changepoints.t), n_changepoints = m$n.changepoints,
               feature_names = colnames(d$X), prior_scales = as.numeric(d$sigmas),
               s_a = as.numeric(d$s_a), s_m = as.numeric(d$s_m), train_holiday_names = m$train.holiday.names,
               stan_optimizer = list(algorithm = algorithm, return_code = last$fit$return_code,
                                     log_posterior_value = last$fit$value))
jsonlite::write_json(params, file.path(dir, "params.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, null = "null")

future <- golden$future(m)
future_path <- file.path(dir, "future.csv.gz")
if (!file.exists(future_path)) {
  out <- future
  out$ds <- format(as.POSIXct(out$ds, tz = "UTC"), "%Y-%m-%d %H:%M:%S")
  con <- gzfile(future_path, "w")
  write.csv(out, con, row.names = FALSE, quote = FALSE)
  close(con)
}
set.seed(42)
forecast <- predict(m, future)
out <- forecast
out$ds <- format(out$ds, "%Y-%m-%d %H:%M:%S", tz = "UTC")
for (name in names(out)) if (is.numeric(out[[name]])) out[[name]] <- sprintf("%.17g", out[[name]])
con <- gzfile(file.path(dir, "forecast.csv.gz"), "w")
write.csv(out, con, row.names = FALSE, quote = FALSE, na = "")
close(con)

# Timings (elapsed seconds; indicative: bench/Prophet measures R and the port side by side).
fit_runs <- sapply(1:3, function(i) system.time(suppressMessages(fit.prophet(golden$model, golden$history)))[["elapsed"]])
jsonlite::write_json(list(fit_only_s_runs = fit_runs, fit_only_s_median = median(fit_runs), n_history = nrow(golden$history),
                          n_predict = nrow(future), machine = "Debian 12, 2 cores, R 4.2.2, rstan 2.21.7",
                          note = "elapsed seconds; bench/Prophet measures R and the port side by side"),
                     file.path(dir, "timing.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat(sprintf("%s: %s, return code %d, log posterior %.17g, %d rstan call(s)\n", basename(dir), algorithm,
            last$fit$return_code, last$fit$value, rstan_calls))
