using System.ComponentModel.DataAnnotations;

namespace Forecast.Evaluator.Extensions;

/// <summary>
/// Where committed runs are read from (config section <c>ArtifactStore</c>): the Trainer's <c>run.output</c>, a local
/// folder or an s3:// URI holding runs/&lt;run-id&gt;/.
/// </summary>
public sealed class ArtifactStoreOptions
{
    public const string SectionName = "ArtifactStore";

    /// <summary>The folder or s3://bucket/prefix the Trainer writes runs under (its run.output); relative paths resolve against the content root (Evaluator/ under dotnet run and the AppHost).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Set ArtifactStore:Root to the Trainer's run.output folder (e.g. output).")]
    public string Root { get; set; } = "../output";
}
