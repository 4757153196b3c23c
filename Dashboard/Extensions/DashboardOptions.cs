using System.ComponentModel.DataAnnotations;

namespace Forecast.Dashboard.Extensions;

/// <summary>
/// Where the Dashboard reads from (config section <c>Dashboard</c>). Relative paths resolve against the content root
/// (the Dashboard/ folder under dotnet run and the AppHost), so the defaults point at the repository root.
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The Trainer's run.output folder, holding runs/&lt;run-id&gt;/.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ArtifactRoot { get; set; } = "../output";

    /// <summary>The folder a run's relative data.path resolves against (the Trainer's working directory), to draw the history.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataRoot { get; set; } = "..";

    [Range(5, 500)]
    public int RunsPerPage { get; set; } = 25;

    [Range(5, 500)]
    public int SeriesPerPage { get; set; } = 50;
}
