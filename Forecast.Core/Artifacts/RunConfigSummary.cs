namespace Forecast.Core.Artifacts;

/// <summary>
/// The few keys of a run's resolved config.yaml that readers need (run name, data location and columns, model name);
/// the whole file stays available as text. Unknown keys are ignored so the config can grow.
/// </summary>
public sealed class RunConfigSummary
{
    public RunSection Run { get; set; } = new();
    public DataSection Data { get; set; } = new();
    public ModelSection Model { get; set; } = new();

    public sealed class RunSection
    {
        public string Name { get; set; } = "";
        public string Output { get; set; } = "";
    }

    public sealed class DataSection
    {
        public string Path { get; set; } = "";
        public string Format { get; set; } = "auto";
        public string IdColumn { get; set; } = "unique_id";
        public string TimeColumn { get; set; } = "ds";
        public string TargetColumn { get; set; } = "y";
        public string? SeriesId { get; set; }
    }

    public sealed class ModelSection
    {
        public string Name { get; set; } = "";
    }
}
