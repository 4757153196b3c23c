using System.Globalization;
using System.Text.Json;
using Forecast.Core.Artifacts;
using Forecast.Core.Artifacts.Catalog;
using Forecast.Evaluator.Model;
using Forecast.Evaluator.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Forecast.Evaluator.Apis;

/// <summary>
/// The Evaluator's HTTP API (as eShop's CatalogApi: one group, typed results, named and tagged endpoints). Read-only
/// over committed runs, plus scoring of posted forecasts; never runs model code. Bad input is a 400 problem-details
/// response naming the parameter; an unknown run is a 404.
/// </summary>
public static class EvaluatorApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapEvaluatorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api");

        api.MapGet("/runs", ListRuns)
            .Produces<PagedResult<RunSummary>>(StatusCodes.Status200OK, "application/json")
            .WithName("ListRuns")
            .WithSummary("List committed runs")
            .WithDescription("Committed runs, newest first, one page at a time; filter by dataset, model and status (exact names) and by start time (from inclusive, to exclusive; ISO 8601, UTC when no offset is given). Served from the run catalog in memory.")
            .WithTags("Runs");

        api.MapGet("/runs/{runId}", GetRun)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetRun")
            .WithSummary("Get a run")
            .WithDescription("A committed run: summary, evaluation settings, data path, files with sizes and SHA-256, and the resolved config.")
            .WithTags("Runs");

        api.MapGet("/runs/{runId}/metrics", GetDatasetMetrics)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetDatasetMetrics")
            .WithSummary("Get a run's dataset metrics")
            .WithDescription("The model's metrics over the dataset, seasonal naive's on the same windows and their ratios.")
            .WithTags("Metrics");

        api.MapGet("/runs/{runId}/metrics/series", ListSeriesMetrics)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListSeriesMetrics")
            .WithSummary("List a run's per-series metrics")
            .WithDescription("Per-series metrics, one page at a time; search filters ids by substring (case-insensitive).")
            .WithTags("Metrics");

        api.MapGet("/leaderboard", GetLeaderboard)
            .Produces<Leaderboard>(StatusCodes.Status200OK, "application/json")
            .WithName("GetLeaderboard")
            .WithSummary("Rank models across runs")
            .WithDescription("Per dataset the newest run of each model with MASE and WQL relative to seasonal naive; per model the geometric mean of those ratios over datasets (Chronos paper aggregate).")
            .WithTags("Leaderboard");

        api.MapPost("/metrics", ScoreForecasts)
            .WithName("ScoreForecasts")
            .WithSummary("Score posted forecasts against actuals")
            .WithDescription("MAE, RMSE, MAPE, sMAPE, MASE (needs history), WAPE, WQL and coverage (need quantiles), per series and over all series.")
            .WithTags("Metrics");

        api.MapGet("/backtests/compare", CompareBacktests)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("CompareBacktests")
            .WithSummary("Compare runs window by window")
            .WithDescription("Pooled metrics per backtest window of 2 to 10 runs (repeat runId), and whether they scored the same series and timestamps.")
            .WithTags("Backtests");

        return app;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ListRuns(
        [FromServices] RunReader reader, [FromServices] IOptions<HttpJsonOptions> json, CancellationToken cancellationToken,
        int page = 1, int pageSize = 20, string? dataset = null, string? model = null, string? status = null, string? from = null, string? to = null)
    {
        var errors = PagingErrors(page, pageSize) ?? [];
        var startedFrom = ParseTime(from, "from", errors);
        var startedBefore = ParseTime(to, "to", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var filter = new RunFilter(dataset, model, status, startedFrom, startedBefore);
        var catalog = await reader.Catalog.GetAsync(cancellationToken);
        // The body is serialized once per version of the catalog and query: a busy list page costs a lookup.
        var body = catalog.Response($"runs|{page}|{pageSize}|{filter}", snapshot =>
        {
            var (total, items) = snapshot.Page(filter, page, pageSize);
            return JsonSerializer.SerializeToUtf8Bytes(new PagedResult<RunSummary>(page, pageSize, total, items), json.Value.SerializerOptions);
        });
        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    public static async Task<Results<Ok<RunDetail>, ProblemHttpResult, ValidationProblem>> GetRun(
        string runId, [FromServices] RunReader reader, CancellationToken cancellationToken)
    {
        if (RunIdErrors(runId) is { } errors) return TypedResults.ValidationProblem(errors);
        var summary = await reader.GetSummaryAsync(runId, cancellationToken);
        if (summary is null) return RunNotFound(runId);
        var manifest = (await reader.GetManifestAsync(runId, cancellationToken))!;
        var metrics = await reader.ReadMetricsAsync(runId, cancellationToken) ?? new RunMetrics();
        var config = await reader.ReadConfigAsync(runId, cancellationToken) ?? new RunConfigSummary();
        string configText = await reader.ReadTextAsync(runId, RunReader.ConfigFile, cancellationToken) ?? "";
        return TypedResults.Ok(new RunDetail(summary, metrics.Evaluation, config.Data.Path, manifest.Files, configText));
    }

    public static async Task<Results<Ok<DatasetMetrics>, ProblemHttpResult, ValidationProblem>> GetDatasetMetrics(
        string runId, [FromServices] RunReader reader, CancellationToken cancellationToken)
    {
        if (RunIdErrors(runId) is { } errors) return TypedResults.ValidationProblem(errors);
        var metrics = await reader.GetManifestAsync(runId, cancellationToken) is null ? null : await reader.ReadMetricsAsync(runId, cancellationToken);
        if (metrics is null) return RunNotFound(runId);
        var d = metrics.Dataset;
        return TypedResults.Ok(new DatasetMetrics(runId, d.Name, d.Model, d.Series, d.Metrics, d.SeasonalNaive, d.RelativeToSeasonalNaive,
            metrics.Aggregate.SeriesRelativeToSeasonalNaiveGeometricMean));
    }

    public static async Task<Results<Ok<PagedResult<SeriesMetrics>>, ProblemHttpResult, ValidationProblem>> ListSeriesMetrics(
        string runId, [FromServices] RunReader reader, CancellationToken cancellationToken,
        int page = 1, int pageSize = 50, string? search = null)
    {
        if ((RunIdErrors(runId) ?? PagingErrors(page, pageSize)) is { } errors) return TypedResults.ValidationProblem(errors);
        var metrics = await reader.GetManifestAsync(runId, cancellationToken) is null ? null : await reader.ReadMetricsAsync(runId, cancellationToken);
        if (metrics is null) return RunNotFound(runId);
        var series = metrics.PerSeries
            .Where(s => string.IsNullOrEmpty(search) || s.Id.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Select(s => new SeriesMetrics(s.Id, s.Metrics, s.SeasonalNaive, s.RelativeToSeasonalNaive))
            .ToList();
        return TypedResults.Ok(Page(series, page, pageSize));
    }

    public static async Task<FileContentHttpResult> GetLeaderboard(
        [FromServices] RunReader reader, [FromServices] IOptions<HttpJsonOptions> json, CancellationToken cancellationToken, string? dataset = null)
    {
        var catalog = await reader.Catalog.GetAsync(cancellationToken);
        var body = catalog.Response($"leaderboard|{dataset}", snapshot => JsonSerializer.SerializeToUtf8Bytes(snapshot.Leaderboard(dataset), json.Value.SerializerOptions));
        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    public static Results<Ok<ScoreResponse>, ValidationProblem> ScoreForecasts(ScoreRequest request)
    {
        var errors = PostedForecastScorer.Validate(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The posted forecasts cannot be scored.");
        return TypedResults.Ok(PostedForecastScorer.Score(request));
    }

    public static async Task<Results<Ok<BacktestComparison>, ProblemHttpResult, ValidationProblem>> CompareBacktests(
        [FromQuery(Name = "runId")] string[] runIds, [FromServices] BacktestComparer comparer, CancellationToken cancellationToken)
    {
        if (runIds.Length is < 2 or > 10)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["runId"] = [$"Name 2 to 10 runs to compare (got {runIds.Length}): ?runId=a&runId=b."] });
        foreach (string id in runIds)
            if (RunIdErrors(id) is { } errors) return TypedResults.ValidationProblem(errors);
        var (comparison, missing) = await comparer.CompareAsync(runIds, cancellationToken);
        if (comparison is null)
            return TypedResults.Problem(title: "Run not found", statusCode: StatusCodes.Status404NotFound, detail: $"No committed run (or no evaluation forecasts) for: {string.Join(", ", missing)}.");
        return TypedResults.Ok(comparison);
    }

    private static PagedResult<T> Page<T>(IReadOnlyList<T> items, int page, int pageSize) =>
        new(page, pageSize, items.Count, [.. items.Skip((int)Math.Min(int.MaxValue, (page - 1L) * pageSize)).Take(pageSize)]);

    /// <summary>An ISO 8601 date or date-time as UTC (no offset means UTC), or null when absent; a bad value adds an error naming <paramref name="name"/>.</summary>
    private static DateTime? ParseTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)) return time;
        errors[name] = [$"{name} must be an ISO 8601 date or date-time such as 2026-01-31 or 2026-01-31T06:15:00Z; got '{value}'."];
        return null;
    }

    private static Dictionary<string, string[]>? PagingErrors(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1) errors["page"] = [$"page is 1-based; got {page}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}; got {pageSize}."];
        return errors.Count > 0 ? errors : null;
    }

    private static Dictionary<string, string[]>? RunIdErrors(string runId) =>
        RunIds.IsValid(runId) ? null : new Dictionary<string, string[]>
        {
            ["runId"] = ["A run id is 1-128 letters, digits, '-', '_' or '.', starting with a letter or digit, e.g. 20261127T061500Z-default-3f9a1c."],
        };

    /// <summary>A 404 as application/problem+json (TypedResults.NotFound(problem) would send it as plain application/json).</summary>
    private static ProblemHttpResult RunNotFound(string runId) =>
        TypedResults.Problem(title: "Run not found", statusCode: StatusCodes.Status404NotFound, detail: $"No committed run '{runId}' (runs without manifest.json are not visible).");
}
