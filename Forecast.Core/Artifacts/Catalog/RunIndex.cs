using System.Globalization;

namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// The run index: one small object per committed run under index/runs/, written by <see cref="RunWriter"/> right
/// after the run's manifest, so listing and ranking runs reads these instead of every object of every run. Keys sort
/// newest commit first — index/runs/&lt;19 digits: DateTime.MaxValue.Ticks − commit ticks&gt;-&lt;run-id&gt;.json —
/// so the first page of a listing (one ListObjectsV2 call on S3) tells whether anything was committed since the last
/// look. The manifest stays the truth: an entry whose run has no committed manifest counts for nothing.
/// </summary>
internal static class RunIndex
{
    public const string Prefix = "index/runs/";
    private const int TicksDigits = 19;
    private const string Extension = ".json";

    public static string KeyOf(string runId, DateTime committedUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{DateTime.MaxValue.Ticks - committedUtc.Ticks:D19}-{runId}{Extension}");

    /// <summary>The run id of an index key, or false for any other key (a stray file, a temporary upload).</summary>
    public static bool TryParseKey(string key, out string runId)
    {
        runId = "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || !key.EndsWith(Extension, StringComparison.Ordinal)) return false;
        var name = key.AsSpan(Prefix.Length, key.Length - Prefix.Length - Extension.Length);
        if (name.Length <= TicksDigits + 1 || name[TicksDigits] != '-') return false;
        foreach (char c in name[..TicksDigits])
            if (!char.IsAsciiDigit(c)) return false;
        string id = name[(TicksDigits + 1)..].ToString();
        if (!RunIds.IsValid(id)) return false;
        runId = id;
        return true;
    }

    /// <summary>Writes the index entry of a run just committed with <paramref name="manifest"/>.</summary>
    public static Task WriteAsync(IArtifactStore store, RunManifest manifest, ReadOnlySpan<byte> manifestJson, RunSummary summary, CancellationToken cancellationToken) =>
        store.PutAsync(KeyOf(manifest.RunId, manifest.CommittedUtc), RunIndexEntry.Create(manifest, manifestJson, summary).ToJson(), cancellationToken);
}
