using Forecast.Core.Artifacts;
using Forecast.Dashboard.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecast.Dashboard.Pages;

/// <summary>
/// Models compared across runs, one table per evaluation setup (Forecast.Core's <see cref="RunLeaderboard"/>, the same
/// ranking as the Evaluator's /api/leaderboard, built once per version of the run catalog).
/// </summary>
[RunCatalogPage]
public sealed class LeaderboardModel(RunReader reader) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "dataset")] public string? Dataset { get; set; }

    public IReadOnlyList<string> Datasets { get; private set; } = [];
    public Leaderboard Board { get; private set; } = Leaderboard.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await reader.Catalog.GetAsync(cancellationToken);
        Datasets = catalog.Datasets;
        Board = catalog.Leaderboard(string.IsNullOrEmpty(Dataset) ? null : Dataset);
    }
}
