using System.Text;

namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// What a <see cref="RunSummary"/> is made of besides the manifest: config.yaml, the head of metrics.yaml and
/// data_fingerprint.yaml. <see cref="RunWriter"/> collects them as the files are put, so the commit writes the run's
/// index entry without reading anything back; the catalog reads them from the store for a run whose index entry is
/// missing or stale. Both build the summary here, so both give the same one.
/// </summary>
internal sealed class RunSummarySources
{
    private static readonly byte[] PerSeriesKey = "\nper_series:"u8.ToArray();

    public string? Config { get; private set; }

    /// <summary>metrics.yaml up to its per_series block (see <see cref="HeadOfMetrics"/>).</summary>
    public string? MetricsHead { get; private set; }

    public string? Fingerprint { get; private set; }

    /// <summary>Keeps what the summary needs of a file the run writes (nothing for other files).</summary>
    public void Observe(string path, ReadOnlySpan<byte> content)
    {
        switch (path)
        {
            case RunReader.ConfigFile: Config = Encoding.UTF8.GetString(content); break;
            case RunReader.MetricsFile: MetricsHead = Encoding.UTF8.GetString(HeadOfMetrics(content)); break;
            case RunDataFingerprint.FileName: Fingerprint = Encoding.UTF8.GetString(content); break;
        }
    }

    /// <summary>Reads the files of a committed run that its manifest lists.</summary>
    public static async Task<RunSummarySources> ReadAsync(IArtifactStore store, RunManifest manifest, CancellationToken cancellationToken)
    {
        var sources = new RunSummarySources();
        foreach (string path in new[] { RunReader.ConfigFile, RunReader.MetricsFile, RunDataFingerprint.FileName })
        {
            if (!manifest.Files.Any(f => f.Path == path)) continue;
            var bytes = await store.GetAsync(RunIds.Prefix(manifest.RunId) + path, cancellationToken).ConfigureAwait(false);
            if (bytes is not null) sources.Observe(path, bytes);
        }
        return sources;
    }

    /// <summary>The summary of the run <paramref name="manifest"/> commits; <paramref name="describe"/> names a key in parse errors.</summary>
    /// <exception cref="InvalidDataException">config.yaml, metrics.yaml or data_fingerprint.yaml is not the YAML the Trainer writes.</exception>
    public RunSummary Build(RunManifest manifest, Func<string, string> describe)
    {
        string prefix = RunIds.Prefix(manifest.RunId);
        var config = (Config is null ? null : RunYaml.Parse<RunConfigSummary>(Config, describe(prefix + RunReader.ConfigFile))) ?? new RunConfigSummary();
        var metrics = (MetricsHead is null ? null : RunYaml.Parse<RunMetrics>(MetricsHead, describe(prefix + RunReader.MetricsFile))) ?? new RunMetrics();
        var data = (Fingerprint is null ? null : RunYaml.Parse<RunDataFingerprint>(Fingerprint, describe(prefix + RunDataFingerprint.FileName))) ?? new RunDataFingerprint();
        return new RunSummary(manifest.RunId, manifest.Status, manifest.StartedUtc, manifest.CommittedUtc, config.Run.Name,
            metrics.Dataset.Name.Length > 0 ? metrics.Dataset.Name : Path.GetFileNameWithoutExtension(config.Data.Path),
            metrics.Dataset.Model.Length > 0 ? metrics.Dataset.Model : config.Model.Name,
            metrics.Dataset.Series, metrics.Evaluation.Mode, metrics.Evaluation.Horizon, metrics.Evaluation.Windows,
            metrics.Dataset.Metrics, metrics.Dataset.RelativeToSeasonalNaive, manifest.Files.Count,
            // Runs written before metrics.yaml named the data's SHA-256 still have it in data_fingerprint.yaml.
            metrics.Evaluation.DataSha256.Length > 0 ? metrics.Evaluation.DataSha256 : data.Sha256, metrics.Evaluation.Step);
    }

    /// <summary>
    /// metrics.yaml without its per_series block: MetricsReport writes per_series last, as a top-level key, so the
    /// text before the line "per_series:" is a whole YAML document, and a summary never holds or parses thousands of
    /// series.
    /// </summary>
    public static ReadOnlySpan<byte> HeadOfMetrics(ReadOnlySpan<byte> metrics)
    {
        if (metrics.StartsWith(PerSeriesKey.AsSpan(1))) return [];
        int perSeries = metrics.IndexOf(PerSeriesKey);
        return perSeries < 0 ? metrics : metrics[..perSeries];
    }
}
