using Forecast.Core.Artifacts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecast.Dashboard.Pages;

/// <summary>
/// Models compared across runs, one table per evaluation setup (Forecast.Core's <see cref="RunLeaderboard"/>, the same
/// ranking as the Evaluator's /api/leaderboard).
/// </summary>
public sealed class LeaderboardModel(RunReader reader) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "dataset")] public string? Dataset { get; set; }

    public IReadOnlyList<string> Datasets { get; private set; } = [];
    public Leaderboard Board { get; private set; } = Leaderboard.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var runs = await reader.ListAsync(cancellationToken);
        Datasets = [.. runs.Select(r => r.Dataset).Distinct().Order(StringComparer.Ordinal)];
        Board = RunLeaderboard.Build(runs.Where(r => string.IsNullOrEmpty(Dataset) || r.Dataset == Dataset));
    }
}
