using System.Text.Json;

namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// The run's <see cref="RunSummary"/> inside its own manifest (its "catalog" field, written by <see cref="RunWriter"/>
/// at commit), so the catalog proves a run committed and reads its summary with one request: a GET of manifest.json.
/// On S3 that halves a cold start's round trips against a HEAD of the manifest plus a GET of the index entry, and the
/// guarantees stay those of the manifest itself: a run without one never appears. <see cref="Schema"/> is the index
/// entry's (<see cref="RunIndexEntry.CurrentSchema"/>): a summary written before <see cref="RunSummary"/> changed
/// shape is ignored and the catalog falls back to the index entry or the run's files.
/// </summary>
internal sealed record ManifestSummary(string Schema, RunSummary Summary)
{
    /// <summary>The "catalog" field of the manifest of a run summarised by <paramref name="summary"/>.</summary>
    public static JsonElement Create(RunSummary summary) =>
        JsonSerializer.SerializeToElement(new ManifestSummary(RunIndexEntry.CurrentSchema, summary), RunIndexEntry.Json);

    /// <summary>
    /// The summary a committed manifest carries for run <paramref name="runId"/>, or null when it carries none of the
    /// current schema (a run committed before summaries were embedded, a damaged field, a manifest of another run).
    /// Only the status and the summary are read; the list of files is skipped.
    /// </summary>
    public static RunSummary? TryRead(ReadOnlySpan<byte> manifestJson, string runId)
    {
        try
        {
            var head = JsonSerializer.Deserialize<ManifestHead>(manifestJson, RunIndexEntry.Json);
            return head is { Status: RunManifest.CommittedStatus, Catalog: { Summary: not null } catalog }
                && catalog.Schema == RunIndexEntry.CurrentSchema && catalog.Summary.RunId == runId
                ? catalog.Summary
                : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What the catalog reads of a manifest: every other field is skipped unparsed.</summary>
    private sealed record ManifestHead(string? Status = null, ManifestSummary? Catalog = null);
}
