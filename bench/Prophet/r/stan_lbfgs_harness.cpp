// Dev-only tool: runs rstan 2.21's own optimisers (StanHeaders 2.21 stan/optimization/bfgs.hpp with LBFGSUpdate,
// stan/optimization/newton.hpp) on prophet.stan with the exact data dumped by trace_golden_case.R, printing every
// iteration and every objective evaluation at full precision (rstan's verbose output has 6 digits). Build with
// build_harness.sh; not part of the solution or the tests.
//
//   harness lbfgs  data.R init.R [evals]     per-iteration trace (and each evaluation when "evals" is given)
//   harness newton data.R init.R             Stan's Newton iterations
//   harness eval   data.R points.txt         f = -log_prob_propto (no Jacobian) and its gradient at each point
//                                            (one unconstrained vector per line, %a or %.17g)
#include "prophet_model.hpp"
#include <stan/io/dump.hpp>
#include <stan/optimization/bfgs.hpp>
#include <stan/optimization/newton.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

typedef stan_prophet_namespace::stan_prophet Model;
typedef Eigen::Matrix<double, Eigen::Dynamic, 1> Vec;

static void print_vec(const char* tag, const Vec& v) {
  std::printf("%s", tag);
  for (int i = 0; i < v.size(); i++) std::printf(" %a", v[i]);
  std::printf("\n");
}

// Wraps stan::optimization::ModelAdaptor (the functor rstan's BFGSLineSearch uses) to log each evaluation.
struct LoggingAdaptor {
  stan::optimization::ModelAdaptor<Model> inner;
  bool log;
  size_t n;
  LoggingAdaptor(Model& m, bool log_evals) : inner(m, std::vector<int>(), &std::cerr), log(log_evals), n(0) {}
  int operator()(const Vec& x, double& f, Vec& g) {
    int ret = inner(x, f, g);
    n++;
    if (log) {
      std::printf("eval %zu ret %d f %a %.17g\n", n, ret, f, f);
      print_vec("  x", x);
      print_vec("  g", g);
    }
    return ret;
  }
  int operator()(const Vec& x, double& f) { return inner(x, f); }
};

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: harness lbfgs|newton|eval data.R init.R|points.txt [evals]\n");
    return 2;
  }
  std::string mode = argv[1];
  std::ifstream data_stream(argv[2]);
  stan::io::dump data(data_stream);
  Model model(data, 0, &std::cerr);

  if (mode == "eval") {
    std::ifstream points(argv[3]);
    std::string line;
    while (std::getline(points, line)) {
      std::istringstream ss(line);
      std::vector<double> x;
      std::string tok;
      while (ss >> tok) x.push_back(std::strtod(tok.c_str(), 0));
      if (x.empty()) continue;
      std::vector<int> params_i;
      std::vector<double> grad;
      double lp = stan::model::log_prob_grad<true, false>(model, x, params_i, grad, &std::cerr);
      std::printf("f %a %.17g\n", -lp, -lp);
      std::printf("g");
      for (double gi : grad) std::printf(" %a", -gi);
      std::printf("\n");
    }
    return 0;
  }

  std::ifstream init_stream(argv[3]);
  stan::io::dump init(init_stream);
  std::vector<int> params_i;
  std::vector<double> params_r;
  model.transform_inits(init, params_i, params_r, &std::cerr);
  Vec x0(params_r.size());
  for (size_t i = 0; i < params_r.size(); i++) x0[i] = params_r[i];
  print_vec("init", x0);

  if (mode == "newton") {
    // stan/services/optimize/newton.hpp: lp with propto = false first, then newton_step until |lp - lastlp| <= 1e-8.
    double lp = model.template log_prob<false, false>(params_r, params_i, &std::cerr);
    std::printf("initial lp %a %.17g\n", lp, lp);
    for (int m = 0; m < 10000; m++) {
      double lastlp = lp;
      lp = stan::optimization::newton_step(model, params_r, params_i);
      std::printf("newton %d lp %a %.17g improved %.17g\n", m + 1, lp, lp, lp - lastlp);
      if (std::fabs(lp - lastlp) <= 1e-8) break;
    }
    Vec x(params_r.size());
    for (size_t i = 0; i < params_r.size(); i++) x[i] = params_r[i];
    print_vec("final", x);
    std::printf("value %.17g\n", lp);
    return 0;
  }

  bool log_evals = argc > 4 && std::string(argv[4]) == "evals";
  LoggingAdaptor adaptor(model, log_evals);
  // rstan's optimizing defaults (rstan/R/stanmodel-class.R, stan/services/optimize/lbfgs.hpp).
  stan::optimization::BFGSMinimizer<LoggingAdaptor, stan::optimization::LBFGSUpdate<> > lbfgs(adaptor);
  lbfgs.get_qnupdate().set_history_size(5);
  lbfgs._ls_opts.alpha0 = 1e-3;
  lbfgs._conv_opts.tolAbsF = 1e-12;
  lbfgs._conv_opts.tolRelF = 1e4;
  lbfgs._conv_opts.tolAbsGrad = 1e-8;
  lbfgs._conv_opts.tolRelGrad = 1e7;
  lbfgs._conv_opts.tolAbsX = 1e-8;
  lbfgs._conv_opts.maxIts = 10000;
  lbfgs.initialize(x0);
  std::printf("initial f %a %.17g\n", lbfgs.curr_f(), lbfgs.curr_f());
  int ret = 0;
  while (ret == 0) {
    ret = lbfgs.step();
    std::printf("iter %zu ret %d lp %.17g f %a dx %.17g grad %.17g alpha %.17g alpha0 %.17g evals %zu note %s\n",
                lbfgs.iter_num(), ret, -lbfgs.curr_f(), lbfgs.curr_f(), lbfgs.prev_step_size(), lbfgs.curr_g().norm(),
                lbfgs.alpha(), lbfgs.alpha0(), adaptor.n, lbfgs.note().c_str());
  }
  print_vec("final", lbfgs.curr_x());
  std::printf("value %.17g return %d\n", -lbfgs.curr_f(), ret);
  return 0;
}
