using Forecast.Core.Artifacts;
using Forecast.Dashboard.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Forecast.Dashboard.Apis;

/// <summary>
/// The JSON the Dashboard's own scripts fetch: the chart columns of one series (wwwroot/js/chart.js) and the progress
/// of a run request (wwwroot/js/job.js). Read-only; bad ids are 400 problems, unknown ones 404.
/// </summary>
public static class DashboardDataApi
{
    public static IEndpointRouteBuilder MapDashboardData(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("data");
        data.MapGet("/runs/{runId}/chart", GetChart).WithName("GetChart").WithSummary("Chart columns of one series of a run");
        data.MapGet("/jobs/{jobId}", GetJob).WithName("GetJob").WithSummary("Status of a run request, and the log of its Trainer process when started here");
        return app;
    }

    public static async Task<Results<Ok<ChartData>, NotFound<ProblemDetails>, ValidationProblem>> GetChart(
        string runId, [FromQuery] string? series, [FromServices] ChartDataBuilder charts, CancellationToken cancellationToken)
    {
        if (!RunIds.IsValid(runId))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["runId"] = ["Not a run id (letters, digits, '-', '_', '.')."] });
        if (string.IsNullOrEmpty(series))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["series"] = ["Name the series: ?series=<unique_id>."] });
        var chart = await charts.BuildAsync(runId, series, cancellationToken);
        return chart is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "Not found", Status = 404, Detail = "No committed run with that id has forecasts for that series." })
            : TypedResults.Ok(chart);
    }

    public static async Task<Results<Ok<RunJob>, NotFound<ProblemDetails>>> GetJob(string jobId, [FromServices] RunStarter starter, CancellationToken cancellationToken) =>
        await starter.GetAsync(jobId, cancellationToken) is { } job
            ? TypedResults.Ok(job)
            : TypedResults.NotFound(new ProblemDetails { Title = "Not found", Status = 404, Detail = "No run request with that id." });
}
