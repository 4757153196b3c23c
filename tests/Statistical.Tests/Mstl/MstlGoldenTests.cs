using Forecast.Statistical.Mstl;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Mstl;

/// <summary>
/// MstlModel against R forecast 8.20's <c>forecast(mstl(msts(x, seasonal.periods)), h, level)</c> on series with two
/// seasonalities (Fixtures/r-forecast/&lt;dataset&gt;/mstl_*, made by bench/Statistical/r/make-mstl-goldens.R): the
/// trend and every seasonal component as R's, the adjusted series' ETS form as R's, and the point forecasts and
/// interval bounds within 1e-3 of the series' MASE scale (the tolerance of the ETS goldens).
/// </summary>
public class MstlGoldenTests
{
    public static TheoryData<string> Datasets => new() { "m4_hourly", "taylor_halfhourly" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void DecomposesAndForecastsAsR(string dataset)
    {
        string root = RGolden.FixturesRoot, folder = Path.Combine(root, "r-forecast", dataset);
        var data = RGolden.LoadDataset(root, dataset, GoldenComparison.DataFile(dataset));
        var components = RGolden.ReadCsv(Path.Combine(folder, "mstl_components.csv.gz")).Skip(1).GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.ToList());
        var forecasts = RGolden.ReadCsv(Path.Combine(folder, "mstl_forecasts.csv.gz")).ToList();
        var header = forecasts[0];
        var models = RGolden.ReadCsv(Path.Combine(folder, "mstl_models.csv")).Skip(1).ToList();
        models.Should().NotBeEmpty();

        foreach (var row in models)
        {
            string id = row[0];
            int n = int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture);
            int[] periods = [.. row[2].Split(' ').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
            var series = data.Series.Single(s => s.Id == id.Split('@')[0]);
            // The script's windows: the last 3000 training points, or with "@k" the first k.
            double[] x = id.Contains('@') ? series.Train[..n] : series.Context(data.MaxContext);
            x.Length.Should().Be(n, "series {0}", id);
            double scale = Mase.Scale(series.Train, data.SeasonLength);

            var fit = new MstlModel { SeasonLengths = periods }.Fit(x, data.SeasonLength);

            var rComponents = components[id];
            fit.Decomposition.SeasonLengths.Should().Equal(periods);
            MaxDiff(fit.Decomposition.Trend, rComponents.Select(r => RGolden.Hex(r[2]))).Should().BeLessThan(1e-8 * scale, "series {0} trend", id);
            for (int i = 0; i < periods.Length; i++)
                MaxDiff(fit.Decomposition.Seasonal[i], rComponents.Select(r => RGolden.Hex(r[3 + i]))).Should().BeLessThan(1e-8 * scale, "series {0} seasonal {1}", id, periods[i]);

            fit.Adjusted.Description.Should().Be(row[3], "series {0}: the adjusted series' ETS form", id);
            fit.Sigma2.Should().BeApproximately(RGolden.Hex(row[4]), 1e-4 * RGolden.Hex(row[4]), "series {0} sigma2", id);

            var rows = forecasts.Skip(1).Where(r => r[0] == id).OrderBy(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var levels = Enumerable.Range(0, (header.Length - 3) / 2).Select(k => double.Parse(header[3 + 2 * k][2..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var forecast = fit.Forecast(rows.Count, levels);
            MaxDiff(forecast.Mean, rows.Select(r => RGolden.Hex(r[2]))).Should().BeLessThan(1e-3 * scale, "series {0} point forecasts", id);
            for (int k = 0; k < levels.Length; k++)
            {
                int column = 3 + 2 * k;
                MaxDiff(forecast.Lower[k], rows.Select(r => RGolden.Hex(r[column]))).Should().BeLessThan(1e-3 * scale, "series {0} lower {1}%", id, levels[k]);
                MaxDiff(forecast.Upper[k], rows.Select(r => RGolden.Hex(r[column + 1]))).Should().BeLessThan(1e-3 * scale, "series {0} upper {1}%", id, levels[k]);
            }
        }
    }

    [Fact]
    public void SeriesWithoutTwoFullPeriodsOfEnoughSeasonLengthsAreUnsuitable()
    {
        var y = Enumerable.Range(0, 300).Select(t => 10 + Math.Sin(2 * Math.PI * t / 24)).ToArray();
        var model = new MstlModel { SeasonLengths = [24, 168], MinSeasonLengths = 2 };

        model.UsableSeasonLengths(y.Length, 24).Should().Equal(24);
        var fit = () => model.Fit(y, 24);
        fit.Should().Throw<UnsuitableSeriesException>().WithMessage("*24, 168*300 points have 1*");
        (model with { MinSeasonLengths = 1 }).Fit(y, 24).Decomposition.SeasonLengths.Should().Equal(24);
        var missing = () => model.Fit([.. y.Take(299), double.NaN, .. y], 24);
        missing.Should().Throw<UnsuitableSeriesException>().WithMessage("*missing*");
        model.Unsuitable([.. y, .. y], 24).Should().BeNull("600 points hold two full weeks");
        model.Unsuitable([.. y, .. y.Take(299), double.NaN], 24).Should().Contain("missing");
    }

    private static double MaxDiff(IReadOnlyList<double> ours, IEnumerable<double> theirs)
    {
        var r = theirs.ToArray();
        ours.Count.Should().Be(r.Length);
        double max = 0;
        for (int i = 0; i < r.Length; i++) max = Math.Max(max, Math.Abs(ours[i] - r[i]));
        return max;
    }
}
