using Forecast.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecast.Dashboard.Pages.Jobs;

/// <summary>The live progress of a Trainer job: wwwroot/js/job.js polls /data/jobs/{id} until the job ends.</summary>
public sealed class DetailModel(TrainerLauncher launcher) : PageModel
{
    [BindProperty(SupportsGet = true)] public string JobId { get; set; } = "";

    public TrainerJobSnapshot Job { get; private set; } = null!;

    public IActionResult OnGet()
    {
        if (launcher.Get(JobId) is not { } job) return NotFound();
        Job = job;
        return Page();
    }
}
