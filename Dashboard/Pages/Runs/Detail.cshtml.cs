using Forecast.Core.Artifacts;
using Forecast.Dashboard.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Pages.Runs;

/// <summary>
/// One run: its model identity, dataset metrics against seasonal naive, the feature flags that applied, the EDA summary, the series (searched and paged from
/// metrics.yaml) and the chart of the selected series, which wwwroot/js/chart.js draws from /data/runs/{id}/chart.
/// For a <c>model: auto</c> run also its choices (model/auto/selection.csv and summary.yaml): every option's backtest
/// score over all series and how many series took it, each series' choice, and the selected series' backtest scores.
/// </summary>
public sealed class DetailModel(RunReader reader, IOptions<DashboardOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)] public string RunId { get; set; } = "";
    [BindProperty(SupportsGet = true, Name = "series")] public string? SelectedSeries { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public RunSummary Summary { get; private set; } = null!;
    public RunMetrics Metrics { get; private set; } = new();
    public RunEda? Eda { get; private set; }

    /// <summary>flags.yaml: every feature flag of the run and what it changed; null for runs made before it existed.</summary>
    public RunFlags? Flags { get; private set; }
    public RunManifest Manifest { get; private set; } = null!;
    public IReadOnlyList<RunSeriesMetrics> Series { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    /// <summary>model: auto's choices, or null for runs of other models.</summary>
    public RunSelection? Selection { get; private set; }

    public RunAutoSummary? AutoSummary { get; private set; }

    /// <summary>unique_id → the option behind its forecast beyond the data (model: auto runs).</summary>
    public IReadOnlyDictionary<string, string> Choices { get; private set; } = new Dictionary<string, string>();

    /// <summary>Metric keys in the order of the metrics table.</summary>
    public IReadOnlyList<string> MetricKeys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!RunIds.IsValid(RunId)) return BadRequest("Not a run id: letters, digits, '-', '_' and '.' only.");
        var summary = await reader.GetSummaryAsync(RunId, cancellationToken);
        if (summary is null) return NotFound();
        Summary = summary;
        Manifest = (await reader.GetManifestAsync(RunId, cancellationToken))!;
        Metrics = await reader.ReadMetricsAsync(RunId, cancellationToken) ?? new RunMetrics();
        Eda = await reader.ReadEdaAsync(RunId, cancellationToken);
        Flags = await reader.ReadFlagsAsync(RunId, cancellationToken);
        MetricKeys = [.. Metrics.Dataset.Metrics.Keys];
        Selection = await reader.ReadSelectionAsync(RunId, cancellationToken);
        AutoSummary = Selection is null ? null : await reader.ReadAutoSummaryAsync(RunId, cancellationToken);
        if (Selection is not null) Choices = Selection.Latest().ToDictionary(r => r.Id, r => r.Choice, StringComparer.Ordinal);

        var matching = Metrics.PerSeries
            .Where(s => string.IsNullOrEmpty(Search) || s.Id.Contains(Search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Pager = new Pager(matching.Count, PageNumber, options.Value.SeriesPerPage, "series",
            page => Url.Page("/Runs/Detail", new { runId = RunId, q = Search, p = page, series = SelectedSeries })!);
        Series = [.. Pager.Slice(matching)];
        if (string.IsNullOrEmpty(SelectedSeries) || !Metrics.PerSeries.Any(s => s.Id == SelectedSeries))
            SelectedSeries = Series.FirstOrDefault()?.Id;
        return Page();
    }

    /// <summary>The last call of summary.yaml (the forecast beyond the data), or null.</summary>
    public RunAutoCall? FinalCall => AutoSummary?.Calls.LastOrDefault();

    public string SeriesUrl(string id) => Url.Page("/Runs/Detail", null, new { runId = RunId, q = Search, p = Pager.Page, series = id }, null, null, "chart")!;

    public string ChartUrl => $"/data/runs/{Uri.EscapeDataString(RunId)}/chart?series={Uri.EscapeDataString(SelectedSeries ?? "")}";
}
