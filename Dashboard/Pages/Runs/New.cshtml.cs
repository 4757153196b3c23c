using Forecast.Core.Models;
using Forecast.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecast.Dashboard.Pages.Runs;

/// <summary>
/// The form that starts a run: a config from the config folder, the model, variant and checkpoint from the Trainer's
/// model catalog (empty: as the config says), optional evaluation overrides and a challenger. It writes a run request
/// (<see cref="RunStarter"/>) and goes on to the request's job page. The only state-changing request of the Dashboard,
/// protected by the antiforgery token Razor Pages puts in every form.
/// </summary>
public sealed class NewModel(RunStarter starter, RunConfigs configs, TrainerCatalog catalog) : PageModel
{
    [BindProperty] public string Config { get; set; } = "";
    [BindProperty] public string? Model { get; set; }
    [BindProperty] public string? Variant { get; set; }
    [BindProperty] public string? Checkpoint { get; set; }
    [BindProperty] public int? Horizon { get; set; }
    [BindProperty] public string? EvaluationMode { get; set; }
    [BindProperty] public int? Windows { get; set; }
    [BindProperty] public string? Challenger { get; set; }
    [BindProperty] public int? ChallengerShare { get; set; }

    /// <summary>Each config with the model it is written for.</summary>
    public IReadOnlyList<(string Name, ConfigModel Model)> Configs { get; private set; } = [];

    /// <summary>The Trainer's models, variants and checkpoints; null when no Trainer has published them yet.</summary>
    public RegisteredModels? Catalog { get; private set; }

    public string CatalogLocation => catalog.Location;

    public IReadOnlyList<RunJob> RecentJobs { get; private set; } = [];

    /// <summary>Problems of the last post, by field; the empty key holds those of the form as a whole.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public bool Deployed => starter.Launch == Extensions.TrainerLaunch.Request;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Config = Configs.Select(c => c.Name).FirstOrDefault(c => c == "default-config.yaml") ?? Configs.Select(c => c.Name).FirstOrDefault() ?? "";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = new StartRunRequest(Config, Empty(Model), Horizon, Empty(EvaluationMode), Windows, Empty(Challenger), ChallengerShare, Empty(Variant), Empty(Checkpoint));
        var (id, errors) = await starter.StartAsync(request, cancellationToken);
        if (id is not null) return RedirectToPage("/Jobs/Detail", new { jobId = id });
        Errors = errors;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = new List<(string, ConfigModel)>();
        foreach (string name in await configs.ListAsync(cancellationToken)) list.Add((name, await configs.ModelOfAsync(name, cancellationToken)));
        Configs = list;
        Catalog = await catalog.GetAsync(cancellationToken);
        RecentJobs = await starter.RecentAsync(20, cancellationToken);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
