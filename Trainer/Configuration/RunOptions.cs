namespace Forecast.Trainer.Configuration;

/// <summary>Config section <c>run:</c> — what the run is called, where its artifacts go, and the random seed.</summary>
public sealed record RunOptions
{
    /// <summary>Part of the run id (runs/&lt;timestamp&gt;-&lt;name&gt;-&lt;random&gt;/) and the dataset name in metrics.</summary>
    public string Name { get; init; } = "forecast";

    /// <summary>The folder that receives runs/&lt;run-id&gt;/ (relative to the working directory).</summary>
    public string Output { get; init; } = "output";

    /// <summary>Seed for models that sample (Chronos, Prophet's uncertainty); baselines are deterministic.</summary>
    public int Seed { get; init; } = 42;
}
