using Forecast.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecast.Dashboard.Pages.Runs;

/// <summary>
/// The form that starts a run: a config from the config folder, a model, optional evaluation overrides. The Trainer
/// runs as its own process (<see cref="TrainerLauncher"/>); the browser goes on to the job's progress page. The only
/// state-changing request of the Dashboard, protected by the antiforgery token Razor Pages puts in every form.
/// </summary>
public sealed class NewModel(TrainerLauncher launcher) : PageModel
{
    [BindProperty] public string Config { get; set; } = "";
    [BindProperty] public string Model { get; set; } = "";
    [BindProperty] public int? Horizon { get; set; }
    [BindProperty] public string? EvaluationMode { get; set; }
    [BindProperty] public int? Windows { get; set; }
    [BindProperty] public string? Challenger { get; set; }
    [BindProperty] public int? ChallengerShare { get; set; }

    public IReadOnlyList<string> Configs => launcher.Configs();
    public IReadOnlyList<string> Models => launcher.Models;
    public IReadOnlyList<TrainerJobSnapshot> RecentJobs => launcher.Recent(20);

    public void OnGet()
    {
        Config = Configs.FirstOrDefault(c => c == "default-config.yaml") ?? Configs.FirstOrDefault() ?? "";
        Model = Models.FirstOrDefault() ?? "";
    }

    public IActionResult OnPost()
    {
        var request = new StartRunRequest(Config, Model, Horizon, string.IsNullOrEmpty(EvaluationMode) ? null : EvaluationMode, Windows,
            string.IsNullOrEmpty(Challenger) ? null : Challenger, ChallengerShare);
        var errors = launcher.Validate(request);
        foreach (var (field, message) in errors) ModelState.AddModelError(field, message);
        if (!ModelState.IsValid) return Page();
        var job = launcher.Start(request);
        return RedirectToPage("/Jobs/Detail", new { jobId = job.Id });
    }
}
