using Forecast.Prophet.Rstan;
using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// Configurations outside the golden cases, built here from their inputs, whose Stan data StanHeaders 2.21's own
/// optimisers were run on (bench/Prophet/r/stan_lbfgs_harness.cpp; Fixtures/rstan_traces/synthetic_*): mixed
/// additive and multiplicative components, logistic growth with a floor, minmax scaling with 40 changepoints, and a
/// 10-row series whose products Eigen evaluates coefficient by coefficient. The R-compatible optimisers retrace every
/// iteration bit for bit.
/// </summary>
public sealed class SyntheticRstanTraceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("mixed", "lbfgs")]
    [InlineData("mixed", "newton")]
    [InlineData("floor", "lbfgs")]
    [InlineData("minmax", "lbfgs")]
    [InlineData("tiny", "lbfgs")]
    [InlineData("tiny", "newton")]
    public void Iterations_are_StanHeaders_bit_for_bit(string configuration, string algorithm)
    {
        var (model, frame) = Build(configuration);
        var data = model.Preprocess(frame);
        var x0 = model.InitialParameters(model.PreparedHistory!, data).ToUnconstrained();
        var objective = new RstanObjective(data, GoldenCase.RstanL1CacheBytes);
        var values = new List<double>();
        OptimizationResult result;
        if (algorithm == "lbfgs")
        {
            result = new StanLbfgs { Trace = i => values.Add(-i.LogPosterior) }.Minimize(objective.Evaluate, x0);
        }
        else
        {
            result = new StanNewton { RstanHessianScaling = true, Trace = (_, lp) => values.Add(lp) }.Minimize(objective.Evaluate, x0);
        }

        var (expected, final) = RstanTrace.Exact("synthetic_" + configuration, algorithm);

        values.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            BitConverter.DoubleToInt64Bits(values[i]).Should().Be(BitConverter.DoubleToInt64Bits(expected[i].Value), $"iteration {i + 1}");
        }

        result.X.Select(BitConverter.DoubleToInt64Bits).Should().Equal(final.Select(BitConverter.DoubleToInt64Bits));
        output.WriteLine($"{configuration} {algorithm}: T {data.T}, K {data.K}, S {data.S}, {values.Count} iterations identical");
    }

    /// <summary>The configurations the fixtures were made from (same data, same options).</summary>
    private static (Prophet Model, ProphetFrame Frame) Build(string configuration)
    {
        var air = GoldenCase.Load("air_passengers_multiplicative").Input;
        switch (configuration)
        {
            case "mixed":
            {
                var model = new Prophet(new ProphetOptions { SeasonalityMode = SeasonalityMode.Multiplicative });
                model.AddSeasonality("quarterly", 91.25, 3, mode: SeasonalityMode.Additive);
                return (model, air);
            }

            case "floor":
            {
                var wp = GoldenCase.Load("wp_R_logistic").Input;
                var frame = wp.Select(Enumerable.Range(0, wp.RowCount).ToArray());
                frame.Add("floor", wp.Y!.Select(_ => 1.5).ToArray());
                return (new Prophet(new ProphetOptions { Growth = Growth.Logistic }), frame);
            }

            case "minmax":
                return (new Prophet(new ProphetOptions { Scaling = Scaling.MinMax, NChangepoints = 40 }), air);
            case "tiny":
                return (new Prophet(new ProphetOptions()), air.Select(Enumerable.Range(0, 10).ToArray()));
            default:
                throw new ArgumentOutOfRangeException(nameof(configuration), configuration, null);
        }
    }
}
