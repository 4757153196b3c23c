using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Features;
using Forecast.Trainer.Models;
using Forecast.Trainer.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace Forecast.Trainer.Tests.Models;

/// <summary>The FineTuning feature flag reaches model.chronos; both adapters stop on cancellation.</summary>
public sealed class ModelFlagsAndCancellationTests
{
    private static string BoltCheckpoint => TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos-bolt-model"));

    private static TrainerConfig ChronosConfig(bool fineTune) => ConfigLoader.Parse($$"""
        data: { path: a.csv }
        evaluation: { horizon: 6 }
        model:
          name: chronos
          chronos: { variant: bolt, checkpoint: {{BoltCheckpoint}}, fine_tune: { enabled: {{(fineTune ? "true" : "false")}} } }
        """, "flags.yaml", []);

    private static TrainerFeatures Flag(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("FeatureManagement:FineTuning", (string?)value)]).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFeatureManagement();
        services.AddSingleton<TrainerFeatures>();
        return services.BuildServiceProvider().GetRequiredService<TrainerFeatures>();
    }

    private sealed class QuietLog : IRunLog
    {
        public void Info(string message) { }
        public void Warn(string message) { }
    }

    [Theory]
    [InlineData(false, "true", true)]
    [InlineData(true, "false", false)]
    public async Task TheFineTuningFlagOverridesFineTuneEnabled(bool yaml, string flag, bool expected)
    {
        var config = await FeatureOverrides.ApplyAsync(ChronosConfig(yaml), Flag(flag), _ => throw new InvalidOperationException("no routing"), new QuietLog());
        using var model = (ChronosForecaster)config.Model.Create(new ModelContext(1));
        model.Settings.FineTune.Enabled.Should().Be(expected);
    }

    [Fact]
    public async Task WithoutTheFlagTheYamlDecides()
    {
        var config = await FeatureOverrides.ApplyAsync(ChronosConfig(true), TrainerFeatures.None, _ => throw new InvalidOperationException("no routing"), new QuietLog());
        using var model = (ChronosForecaster)config.Model.Create(new ModelContext(1));
        model.Settings.FineTune.Enabled.Should().BeTrue();
    }

    private static IReadOnlyList<TimeSeries> Sample()
    {
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return [.. Enumerable.Range(0, 4).Select(s => new TimeSeries($"s{s}",
            [.. Enumerable.Range(0, 48).Select(t => start.AddHours(t))],
            [.. Enumerable.Range(0, 48).Select(t => 10 + s + Math.Sin(t / 4.0))]) { Frequency = Frequency.Hourly })];
    }

    [Fact]
    public async Task ChronosStopsOnCancellation()
    {
        using var model = (ChronosForecaster)ChronosConfig(false).Model.Create(new ModelContext(1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var act = () => model.ForecastAsync(Sample(), new ForecastRequest(6, [0.5]), null, cancelled.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ProphetStopsOnCancellation()
    {
        var config = ConfigLoader.Parse("data: { path: a.csv }\nevaluation: { horizon: 6 }\nmodel: { name: prophet }\n", "p.yaml", []);
        var model = config.Model.Create(new ModelContext(1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var act = () => model.ForecastAsync(Sample(), new ForecastRequest(6, [0.5]), null, cancelled.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ProphetReportsProgressPerSeriesAndQuantilesBracketTheMedian()
    {
        var config = ConfigLoader.Parse("data: { path: a.csv }\nevaluation: { horizon: 6 }\nmodel: { name: prophet, prophet: { uncertainty_samples: 500 } }\n", "p.yaml", []);
        var model = config.Model.Create(new ModelContext(1));
        var reports = new List<ForecastProgress>();
        var forecasts = await model.ForecastAsync(Sample(), new ForecastRequest(6, [0.1, 0.5, 0.9]), new SynchronousProgress(reports.Add));

        forecasts.Should().HaveCount(4);
        forecasts.Should().OnlyContain(f => f.Quantiles[0].Zip(f.Quantiles[2]).All(p => p.First < p.Second));
        forecasts[0].Timestamps[0].Should().Be(new DateTime(2020, 1, 3, 0, 0, 0, DateTimeKind.Utc));
        lock (reports) reports.Should().Contain(r => r.Completed == 4 && r.Total == 4);
    }

    private sealed class SynchronousProgress(Action<ForecastProgress> report) : IProgress<ForecastProgress>
    {
        public void Report(ForecastProgress value)
        {
            lock (this) report(value);
        }
    }
}
