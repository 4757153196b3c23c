#!/bin/sh
# Dev-only: builds stan_lbfgs_harness against the StanHeaders/Eigen/Boost/TBB headers rstan 2.21 uses (Debian
# r-cran-prophet), with R's CXXFLAGS (-O2, no -march: SSE2 and no FMA, as the packaged prophet.so) so that its
# floating point matches rstan's bit for bit. Usage: build_harness.sh <out-dir>
set -e
out=${1:-/tmp/stan-harness}
here=$(cd "$(dirname "$0")" && pwd)
lib=/usr/lib/R/site-library
mkdir -p "$out"
Rscript -e "r <- rstan::stanc(file='$lib/prophet/stan/prophet.stan', model_name='prophet'); writeLines(r\$cppcode, '$out/prophet_model.hpp')"
# stanc names the model class after a random hash; give it a fixed name.
sed -i -E 's/model[0-9a-f]+_prophet/stan_prophet/g' "$out/prophet_model.hpp"
g++ -std=gnu++14 -O2 -DBOOST_DISABLE_ASSERTS -DEIGEN_NO_DEBUG -D_REENTRANT -DBOOST_MATH_OVERFLOW_ERROR_POLICY=errno_on_error \
  -DBOOST_NO_AUTO_PTR -D_HAS_AUTO_PTR_ETC=0 \
  -I"$out" -I$lib/StanHeaders/include -I$lib/StanHeaders/include/src -I$lib/RcppEigen/include -I$lib/BH/include \
  -I/usr/include -Wno-ignored-attributes -Wno-deprecated-declarations \
  "$here/stan_lbfgs_harness.cpp" -o "$out/harness" -ltbb
echo "built $out/harness"
