# Dev-only tool (needs R 4.2 + prophet 1.0 + rstan 2.21: `apt-get install -y r-cran-prophet`; tests never run it).
# Rebuilds one golden case of /work/shared/reference/prophet exactly as the golden files were made, and writes to
# <out>/<case>/:
#   data.R        the exact Stan data list prophet passed to rstan::optimizing, in Stan's rdump format (%.17g, so
#                 every double round-trips) — input of the C++ harness (stan_lbfgs_harness.cpp)
#   init.R        prophet's init (unconstrained sigma_obs = log 1 = 0 is applied by Stan itself)
#   rstan_trace.txt  rstan's own verbose optimizing output (refresh = 1: one line per iteration)
#   result.txt    algorithm(s) run, return code, value (%.17g), final parameters (%.17g)
# Usage: Rscript trace_golden_case.R <case> <out-dir> [golden-dir]
all_args <- commandArgs(trailingOnly = FALSE)
source(file.path(dirname(normalizePath(sub("^--file=", "", all_args[grep("^--file=", all_args)]))), "golden_case.R"))
args <- commandArgs(trailingOnly = TRUE)
case <- args[1]
out <- file.path(args[2], case)
golden <- if (length(args) >= 3) args[3] else "/work/shared/reference/prophet"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
dir <- file.path(golden, case)

fmt <- function(v) {
  if (is.integer(v)) return(as.character(v))
  sprintf("%.17g", v)
}
write_rdump <- function(lst, file) {
  con <- file(file, "w")
  for (name in names(lst)) {
    v <- lst[[name]]
    if (is.matrix(v)) {
      cat(name, " <- structure(c(", paste(fmt(as.vector(v)), collapse = ", "), "), .Dim = c(",
          nrow(v), ", ", ncol(v), "))\n", sep = "", file = con)
    } else if (length(v) == 1 && !(name %in% c("delta", "beta", "sigmas", "s_a", "s_m", "t_change", "y", "t", "cap"))) {
      cat(name, " <- ", fmt(v), "\n", sep = "", file = con)
    } else {
      cat(name, " <- c(", paste(fmt(as.vector(v)), collapse = ", "), ")\n", sep = "", file = con)
    }
  }
  close(con)
}

# Wrap rstan::optimizing so that every call prophet makes (L-BFGS, then Newton on failure) is recorded.
original <- rstan::optimizing
calls <- 0
wrapper <- function(object, data, init, ...) {
  calls <<- calls + 1
  extra <- list(...)
  if (calls == 1) {
    write_rdump(data, file.path(out, "data.R"))
    write_rdump(init(), file.path(out, "init.R"))
  }
  trace <- capture.output(fit <- original(object, data = data, init = init, ..., verbose = TRUE, refresh = 1))
  writeLines(trace, file.path(out, sprintf("rstan_trace_%d_%s.txt", calls, extra$algorithm)))
  con <- file(file.path(out, "result.txt"), if (calls == 1) "w" else "a")
  cat(sprintf("call %d algorithm %s return_code %d value %.17g\n", calls, extra$algorithm, fit$return_code, fit$value), file = con)
  for (name in names(fit$par)) {
    cat(name, paste(sprintf("%.17g", as.vector(fit$par[[name]])), collapse = " "), "\n", file = con)
  }
  close(con)
  fit
}
unlockBinding("optimizing", asNamespace("rstan"))
assignInNamespace("optimizing", wrapper, ns = "rstan")

golden <- golden_model(dir)
m <- fit.prophet(golden$model, golden$history)
expected <- jsonlite::fromJSON(file.path(dir, "params.json"))$stan_optimizer$log_posterior_value
cat(sprintf("%s: value %.17g (golden %.15g) calls %d\n", case, m$stan.fit$value, expected, calls))
