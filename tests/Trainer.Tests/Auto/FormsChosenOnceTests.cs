using System.Globalization;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Trainer.Models;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// What model: auto's classical candidates do on its backtest windows (<see cref="StatisticalForecaster.WithFormsChosenOnce"/>):
/// the form — ETS form, ARIMA orders — is chosen on a series' first (earliest) window, as R's ets()/auto.arima() choose
/// it there, and on every later window only its parameters are re-estimated, or, without refitting
/// (<see cref="StatisticalForecaster.Filtering"/>), not even those; the same calls give the same forecasts.
/// Real models on the shipped sample (monthly R datasets), no test doubles.
/// </summary>
public class FormsChosenOnceTests
{
    private const int Horizon = 12;
    private const int Windows = 3;
    private static readonly ForecastRequest Request = new(Horizon, [0.1, 0.5, 0.9]);

    public static TheoryData<string> Models => new() { "ets", "arima" };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task TheFormOfTheFirstWindowIsReestimatedOnEveryLaterOne(string name)
    {
        var series = Sample();
        var forecaster = Forecaster(name).WithFormsChosenOnce();
        var formsByWindow = new List<Dictionary<string, (string Form, string Sigma2, string Parameters)>>();
        for (int w = 0; w < Windows; w++)
        {
            await forecaster.ForecastAsync(Cut(series, w), Request);
            formsByWindow.Add(Fits(forecaster));
        }

        foreach (var s in series)
        {
            var first = Cut([s], 0)[0];
            string searched = name == "ets" ? new AutoEts().Fit(first.Values, 12).Description : new AutoArima().Fit(first.Values, 12).Description;
            formsByWindow.Select(f => f[s.Id].Form).Should().AllBe(searched, "series {0}: the form chosen on the first window", s.Id);
            formsByWindow.Select(f => f[s.Id].Sigma2 + " " + f[s.Id].Parameters).Distinct().Should().HaveCount(Windows, "series {0}: parameters re-estimated per window", s.Id);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task WithoutRefitTheLaterWindowsRunTheFirstWindowsFitAndTheFinalFitIsEstimated(string name)
    {
        var series = Sample();
        var forecaster = Forecaster(name).WithFormsChosenOnce(keepFirstFits: true);
        var filtering = forecaster.Filtering();
        await forecaster.ForecastAsync(Cut(series, 0), Request);
        var first = Fits(forecaster);
        for (int w = 1; w < Windows; w++)
        {
            await filtering.ForecastAsync(Cut(series, w), Request);
            var later = Fits(filtering);
            foreach (var s in series)
            {
                later[s.Id].Form.Should().Be(first[s.Id].Form, "series {0} window {1}", s.Id, w);
                later[s.Id].Parameters.Should().Be(first[s.Id].Parameters, "series {0} window {1}: the first window's estimates", s.Id, w);
            }
        }

        await forecaster.ForecastAsync(series, Request);
        var final = Fits(forecaster);
        foreach (var s in series)
        {
            final[s.Id].Form.Should().Be(first[s.Id].Form, "series {0}: the form is kept", s.Id);
            (final[s.Id].Sigma2 + " " + final[s.Id].Parameters).Should().NotBe(first[s.Id].Sigma2 + " " + first[s.Id].Parameters,
                "series {0}: the final fit is estimated on the whole history", s.Id);
        }
    }

    [Fact]
    public async Task WithWarmStartsEachLaterWindowsArimaStartsFromThePreviousWindowsFit()
    {
        // R's Arima(y, order, init = coef(previous), method = "ML") on window w + 1 from window w's fit; where that fails
        // (a start arima refuses, an optimisation that fails from it) the from-scratch CSS-ML fit of the same orders.
        var series = Sample();
        var forecaster = Forecaster("arima").WithFormsChosenOnce(warmStart: true);
        var previous = new Dictionary<string, ArimaModel>();
        foreach (var s in series) previous[s.Id] = new AutoArima().Fit(Cut([s], 0)[0].Values, 12);
        await forecaster.ForecastAsync(Cut(series, 0), Request);
        int warmStarted = 0;
        for (int w = 1; w <= Windows; w++)
        {
            var histories = w < Windows ? Cut(series, w) : series;
            await forecaster.ForecastAsync(histories, Request);
            var fits = Fits(forecaster);
            foreach (var history in histories)
            {
                ArimaModel expected;
                try
                {
                    expected = FixedOrderArima.StartingFrom(previous[history.Id]).Fit(history.Values, 12);
                    warmStarted++;
                }
                catch (Forecast.Statistical.ModelFitException)
                {
                    expected = FixedOrderArima.Like(previous[history.Id]).Fit(history.Values, 12);
                }
                fits[history.Id].Form.Should().Be(expected.Description, "series {0} window {1}", history.Id, w);
                fits[history.Id].Parameters.Should().Be(Forecast.Trainer.Models.StatisticalParameters.Describe(expected), "series {0} window {1}", history.Id, w);
                previous[history.Id] = expected;
            }
        }
        warmStarted.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task WithWarmStartsAHistoryFittedAgainStartsWhereItDidTheFirstTime()
    {
        // A batch retried series by series (CandidateRunner) fits the same histories again: each must start from the fit to
        // the series' previous, shorter history, as the first time, not from its own first result, whichever series of the
        // failed batch had finished.
        var series = Sample();
        var forecaster = Forecaster("arima").WithFormsChosenOnce(warmStart: true);
        await forecaster.ForecastAsync(Cut(series, 0), Request);
        await forecaster.ForecastAsync(Cut(series, 1), Request);
        var once = Fits(forecaster);
        await forecaster.ForecastAsync(Cut(series, 1), Request);
        var again = Fits(forecaster);
        foreach (var s in series)
            (again[s.Id].Form + " " + again[s.Id].Parameters).Should().Be(once[s.Id].Form + " " + once[s.Id].Parameters, "series {0}", s.Id);
    }

    [Fact]
    public void OnlyACopyThatKeepsItsFirstFitsCanFilter()
    {
        // Refitting (the default) keeps each series' chosen form only, not its fitted model (an ETS fit holds its whole
        // state path), so there is nothing to filter with.
        var forecaster = Forecaster("ets").WithFormsChosenOnce();
        forecaster.Invoking(f => f.Filtering()).Should().Throw<InvalidOperationException>().WithMessage("*keepFirstFits*");
    }

    [Fact]
    public async Task TheSameCallsGiveTheSameForecasts()
    {
        async Task<List<double>> RunAsync()
        {
            var forecaster = Forecaster("arima").WithFormsChosenOnce();
            var values = new List<double>();
            for (int w = 0; w < Windows; w++)
                foreach (var f in await forecaster.ForecastAsync(Cut(Sample(), w), Request))
                    values.AddRange(f.Mean.Concat(f.Quantiles.SelectMany(q => q)));
            return values;
        }

        (await RunAsync()).Should().Equal(await RunAsync());
    }

    private static StatisticalForecaster Forecaster(string name) => new(name,
        name == "ets" ? new AutoEts() : (Forecast.Statistical.IStatisticalModel)new AutoArima(), new StatisticalSettings(12, StatisticalFailure.Fail, null));

    /// <summary>Window w of the backtest: the history up to n − horizon·(windows − w).</summary>
    private static List<TimeSeries> Cut(IEnumerable<TimeSeries> series, int w) =>
        [.. series.Select(s => s.Head(s.Length - Horizon * (Windows - w)))];

    /// <summary>Per series: the fitted form, σ² and parameters.</summary>
    private static Dictionary<string, (string Form, string Sigma2, string Parameters)> Fits(StatisticalForecaster forecaster)
    {
        var rows = AutoForecasterTests.ReadSelection(forecaster.ExportState().Single().Content);
        return rows.ToDictionary(r => r["unique_id"], r => (r["model"], r["sigma2"], r["parameters"]));
    }

    /// <summary>The shipped sample's short monthly series (6 to 12 years; the longer ones would make the ARIMA search slow).</summary>
    private static List<TimeSeries> Sample()
    {
        var rows = File.ReadAllLines(TrainerRun.SampleData).Skip(1).Select(l => l.Split(',')).GroupBy(r => r[0]);
        return [.. rows.Where(g => g.Count() <= 144).Select(g => new TimeSeries(g.Key,
            [.. g.Select(r => DateTime.SpecifyKind(DateTime.Parse(r[1], CultureInfo.InvariantCulture), DateTimeKind.Utc))],
            [.. g.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture))]) { Frequency = Frequency.MonthlyStart })];
    }
}
