using Forecast.Prophet.Rstan;
using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// The R-compatible optimisers retrace rstan's runs: every L-BFGS and Newton iteration of every golden case with the
/// same log posterior bits (and, for L-BFGS, evaluation count and termination) as StanHeaders 2.21's own run on the
/// same data, and the values rstan printed.
/// </summary>
public sealed class RstanTraceGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> LbfgsCases => GoldenCase.Names.Where(n => RstanTrace.Has(n, "rstan_lbfgs.txt.gz")).Select(n => new object[] { n });

    public static IEnumerable<object[]> NewtonCases => GoldenCase.Names.Where(n => RstanTrace.Has(n, "rstan_newton.txt.gz")).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(LbfgsCases))]
    public void Lbfgs_iterations_are_rstans_bit_for_bit(string name)
    {
        var (trace, result) = RunLbfgs(name);
        var (expected, final) = RstanTrace.Exact(name, "lbfgs");

        trace.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var ours = trace[i];
            BitConverter.DoubleToInt64Bits(-ours.LogPosterior).Should().Be(BitConverter.DoubleToInt64Bits(expected[i].Value),
                $"iteration {i + 1}: ours f {-ours.LogPosterior:R}, Stan {expected[i].Value:R}");
            ours.Evaluations.Should().Be(expected[i].Evaluations, $"iteration {i + 1}");
            ours.ReturnCode.Should().Be(expected[i].ReturnCode, $"iteration {i + 1}");
        }

        result.X.Select(BitConverter.DoubleToInt64Bits).Should().Equal(final.Select(BitConverter.DoubleToInt64Bits));
        output.WriteLine($"{name}: {trace.Count} iterations, {trace[^1].Evaluations} evaluations, code {result.ReturnCode}, identical");
    }

    [Theory]
    [MemberData(nameof(LbfgsCases))]
    public void Lbfgs_trace_is_what_rstan_printed(string name)
    {
        var (trace, _) = RunLbfgs(name);
        var printed = RstanTrace.PrintedLbfgs(name);

        trace.Should().HaveCount(printed.Count);
        for (var i = 0; i < printed.Count; i++)
        {
            var (ours, r) = (trace[i], printed[i]);
            ours.Iteration.Should().Be(r.Iteration);
            // rstan prints 6 significant digits (setprecision(6)), alpha and alpha0 with 4.
            ours.LogPosterior.Should().BeApproximately(r.LogProb, 6e-6 * Math.Abs(r.LogProb), $"log prob at iteration {r.Iteration}");
            ours.StepNorm.Should().BeApproximately(r.StepNorm, 6e-6 * Math.Abs(r.StepNorm), $"||dx|| at iteration {r.Iteration}");
            ours.GradientNorm.Should().BeApproximately(r.GradientNorm, 6e-6 * Math.Abs(r.GradientNorm), $"||grad|| at iteration {r.Iteration}");
            ours.Alpha.Should().BeApproximately(r.Alpha, 6e-4 * Math.Abs(r.Alpha), $"alpha at iteration {r.Iteration}");
            ours.Alpha0.Should().BeApproximately(r.Alpha0, 6e-4 * Math.Abs(r.Alpha0), $"alpha0 at iteration {r.Iteration}");
            ours.Evaluations.Should().Be(r.Evaluations, $"# evals at iteration {r.Iteration}");
            ours.Note.Should().Be(r.Note, $"note at iteration {r.Iteration}");
        }
    }

    [Theory]
    [MemberData(nameof(NewtonCases))]
    public void Newton_iterations_are_rstans_bit_for_bit(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        var data = model.Preprocess(golden.Input);
        var init = model.InitialParameters(model.PreparedHistory!, data);
        var trace = new List<double>();
        var result = new StanNewton { RstanHessianScaling = true, Trace = (_, lp) => trace.Add(lp) }
            .Minimize(new RstanObjective(data, GoldenCase.RstanL1CacheBytes).Evaluate, init.ToUnconstrained());
        var (expected, final) = RstanTrace.Exact(name, "newton");
        var printed = RstanTrace.PrintedNewton(name);

        printed.Should().HaveCount(expected.Count);
        trace.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            BitConverter.DoubleToInt64Bits(trace[i]).Should().Be(BitConverter.DoubleToInt64Bits(expected[i].Value),
                $"iteration {i + 1}: ours lp {trace[i]:R}, Stan {expected[i].Value:R}");
            trace[i].Should().BeApproximately(printed[i].LogProb, 6e-6 * Math.Abs(printed[i].LogProb), $"printed log prob at iteration {i + 1}");
        }

        result.X.Select(BitConverter.DoubleToInt64Bits).Should().Equal(final.Select(BitConverter.DoubleToInt64Bits));
        output.WriteLine($"{name}: {trace.Count} Newton iterations, identical");
    }

    private static (List<StanLbfgsIteration> Trace, OptimizationResult Result) RunLbfgs(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        var data = model.Preprocess(golden.Input);
        var init = model.InitialParameters(model.PreparedHistory!, data);
        var trace = new List<StanLbfgsIteration>();
        var result = new StanLbfgs { Trace = trace.Add }.Minimize(new RstanObjective(data, GoldenCase.RstanL1CacheBytes).Evaluate, init.ToUnconstrained());
        return (trace, result);
    }
}
