using System.ComponentModel.DataAnnotations;

namespace Forecast.Dashboard.Extensions;

/// <summary>
/// How the Dashboard starts Trainer runs (config section <c>Trainer</c>). Every run is a run request written under the
/// run output root; <see cref="Launch"/> says who runs it: this Dashboard, as a process (<see cref="Command"/> and its
/// leading <see cref="Arguments"/>, to which it appends <c>--request &lt;location&gt;</c>; the default builds and runs the
/// Trainer project from the repository root), or the deployment's S3 event rule and state machine.
/// </summary>
public sealed class TrainerOptions
{
    public const string SectionName = "Trainer";

    /// <summary>Who runs a request: <see cref="TrainerLaunch.Process"/> (local) or <see cref="TrainerLaunch.Request"/> (deployed).</summary>
    public TrainerLaunch Launch { get; set; } = TrainerLaunch.Process;

    [Required(AllowEmptyStrings = false)]
    public string Command { get; set; } = "dotnet";

    /// <summary>
    /// The leading arguments; empty means <see cref="DefaultArguments"/>. (Lists bind by appending to what is there,
    /// so defaults live apart from the bound list and one setting replaces them whole.)
    /// </summary>
    public List<string> Arguments { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultArguments = ["run", "--project", "Trainer", "--no-launch-profile", "--"];

    public IReadOnlyList<string> EffectiveArguments => Arguments.Count > 0 ? Arguments : DefaultArguments;

    /// <summary>The Trainer's working directory: relative data and checkpoint paths in configs resolve against it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WorkingDirectory { get; set; } = "..";

    /// <summary>The configs the form offers: the *.yaml files directly in this folder or s3:// prefix.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConfigFolder { get; set; } = "../config";

    /// <summary>Trainer processes that may run at once (<see cref="TrainerLaunch.Process"/>); a further start is refused until one ends.</summary>
    [Range(1, 16)]
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Log lines kept per Trainer process for its job page.</summary>
    [Range(10, 100_000)]
    public int MaxLogLines { get; set; } = 2000;
}

/// <summary>Who runs the Dashboard's run requests.</summary>
public enum TrainerLaunch
{
    /// <summary>The Dashboard starts the Trainer as a process on the request (local use, the AppHost).</summary>
    Process,

    /// <summary>The Dashboard only writes the request; the deployment runs it (the S3 event rule starts the state machine).</summary>
    Request,
}
