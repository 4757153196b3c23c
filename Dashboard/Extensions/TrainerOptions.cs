using System.ComponentModel.DataAnnotations;

namespace Forecast.Dashboard.Extensions;

/// <summary>
/// How the Dashboard starts a Trainer run (config section <c>Trainer</c>): a command and its leading arguments, to
/// which it appends <c>--config &lt;file&gt; --set ...</c>. The default builds and runs the Trainer project from the
/// repository root; deployments point <see cref="Arguments"/> at a published Trainer.dll instead.
/// </summary>
public sealed class TrainerOptions
{
    public const string SectionName = "Trainer";

    [Required(AllowEmptyStrings = false)]
    public string Command { get; set; } = "dotnet";

    /// <summary>
    /// The leading arguments; empty means <see cref="DefaultArguments"/>. (Lists bind by appending to what is there,
    /// so defaults live apart from the bound list and one setting replaces them whole.)
    /// </summary>
    public List<string> Arguments { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultArguments = ["run", "--project", "Trainer", "--no-launch-profile", "--"];

    public IReadOnlyList<string> EffectiveArguments => Arguments.Count > 0 ? Arguments : DefaultArguments;

    /// <summary>The Trainer's working directory: relative data paths in configs resolve against it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WorkingDirectory { get; set; } = "..";

    /// <summary>The folder of the YAML configs the form offers (only files directly in it, *.yaml).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConfigFolder { get; set; } = "../config";

    /// <summary>The model names the form offers (the Trainer's registry; the Trainer still validates); empty means <see cref="DefaultModels"/>.</summary>
    public List<string> Models { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultModels = ["seasonal_naive", "naive", "mean"];

    public IReadOnlyList<string> EffectiveModels => Models.Count > 0 ? Models : DefaultModels;

    /// <summary>Runs that may go at once; a further start is refused until one ends.</summary>
    [Range(1, 16)]
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Log lines kept per run for its progress page.</summary>
    [Range(10, 100_000)]
    public int MaxLogLines { get; set; } = 2000;
}
