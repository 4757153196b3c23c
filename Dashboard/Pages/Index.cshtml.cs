using Forecast.Core.Artifacts;
using Forecast.Core.Artifacts.Catalog;
using Forecast.Dashboard.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Pages;

/// <summary>The runs list: every committed run, newest first, with status and key metrics; filter, search and paging over the run catalog in memory.</summary>
[RunCatalogPage]
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
        var catalog = await reader.Catalog.GetAsync(cancellationToken);
        Datasets = catalog.Datasets;
        Models = catalog.Models;
        var filter = new RunFilter(NullIfEmpty(Dataset), NullIfEmpty(ModelName), Search: NullIfEmpty(Search));
        int pageSize = options.Value.RunsPerPage;
        // The pager clamps the page to the last one, so count first, then take the page it settles on.
        Pager = new Pager(catalog.Count(filter), PageNumber, pageSize, "runs",
            page => Url.Page("/Index", new { dataset = Dataset, model = ModelName, q = Search, p = page })!);
        Runs = catalog.Page(filter, Pager.Page, pageSize).Items;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
