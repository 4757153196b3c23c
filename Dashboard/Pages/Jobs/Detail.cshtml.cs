using Forecast.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecast.Dashboard.Pages.Jobs;

/// <summary>
/// A run request and how it is going: wwwroot/js/job.js polls /data/jobs/{id} (the Trainer's request status, and the
/// log of the Trainer process when this Dashboard started it) until the request has ended.
/// </summary>
public sealed class DetailModel(RunStarter starter) : PageModel
{
    [BindProperty(SupportsGet = true)] public string JobId { get; set; } = "";

    public RunJob Job { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await starter.GetAsync(JobId, cancellationToken) is not { } job) return NotFound();
        Job = job;
        return Page();
    }
}
