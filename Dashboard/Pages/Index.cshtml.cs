using Forecast.Core.Artifacts;
using Forecast.Dashboard.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Pages;

/// <summary>The runs list: every committed run, newest first, with status and key metrics; filter, search and paging.</summary>
public sealed class IndexModel(RunReader reader, IOptions<DashboardOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "dataset")] public string? Dataset { get; set; }
    [BindProperty(SupportsGet = true, Name = "model")] public string? ModelName { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<string> Datasets { get; private set; } = [];
    public IReadOnlyList<string> Models { get; private set; } = [];
    public IReadOnlyList<RunSummary> Runs { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await reader.ListAsync(cancellationToken);
        Datasets = [.. all.Select(r => r.Dataset).Distinct().Order(StringComparer.Ordinal)];
        Models = [.. all.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal)];
        var matching = all
            .Where(r => string.IsNullOrEmpty(Dataset) || r.Dataset == Dataset)
            .Where(r => string.IsNullOrEmpty(ModelName) || r.Model == ModelName)
            .Where(r => string.IsNullOrEmpty(Search) || r.RunId.Contains(Search, StringComparison.OrdinalIgnoreCase) || r.RunName.Contains(Search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Pager = new Pager(matching.Count, PageNumber, options.Value.RunsPerPage, "runs",
            page => Url.Page("/Index", new { dataset = Dataset, model = ModelName, q = Search, p = page })!);
        Runs = [.. Pager.Slice(matching)];
    }
}
