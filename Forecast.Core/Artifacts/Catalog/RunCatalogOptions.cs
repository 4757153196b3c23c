namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// How <see cref="RunCatalogCache"/> keeps its list of runs current (config section <c>RunCatalog</c> of the Evaluator
/// and the Dashboard). Requests read the list from memory; storage is read at most once per
/// <see cref="ChangeCheckInterval"/> (one listing of the index's newest page) and once per
/// <see cref="FullRefreshInterval"/> (run folders and the whole index), however many requests come in.
/// </summary>
public sealed class RunCatalogOptions
{
    public const string SectionName = "RunCatalog";

    /// <summary>
    /// How old the list may be before a request looks for newly committed runs (the first page of the index: one
    /// ListObjectsV2 call on S3). Zero looks on every request.
    /// </summary>
    public TimeSpan ChangeCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the request that starts a change check waits for it before it answers from the current list (the check
    /// goes on in the background): a slow store or a loaded machine never holds it longer than this. Requests arriving
    /// while the check runs do not wait, so under load change detection delays one request per interval.
    /// </summary>
    public TimeSpan ChangeCheckWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often the catalog lists the run folders and the whole index, in the background while requests keep reading
    /// the current list: this finds deleted runs and committed runs without an index entry (written before the index
    /// existed, or by a writer that stopped between the manifest and the entry).
    /// </summary>
    public TimeSpan FullRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs read at once when summaries are loaded (a GET of the manifest per run).</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>Index entries a change check reads from the newest: one S3 list page.</summary>
    public int ChangeCheckEntries { get; set; } = 1000;

    /// <summary>Leaderboards kept per version of the list (one per dataset filter asked for).</summary>
    public int CachedLeaderboards { get; set; } = 64;

    /// <summary>Throws with the option's name when a value cannot work.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (ChangeCheckInterval < TimeSpan.Zero) problems.Add($"{SectionName}:ChangeCheckInterval must be >= 0; got {ChangeCheckInterval}.");
        if (ChangeCheckWait < TimeSpan.Zero) problems.Add($"{SectionName}:ChangeCheckWait must be >= 0; got {ChangeCheckWait}.");
        if (FullRefreshInterval <= TimeSpan.Zero) problems.Add($"{SectionName}:FullRefreshInterval must be positive; got {FullRefreshInterval}.");
        if (Parallelism < 1) problems.Add($"{SectionName}:Parallelism must be >= 1; got {Parallelism}.");
        if (ChangeCheckEntries < 1) problems.Add($"{SectionName}:ChangeCheckEntries must be >= 1; got {ChangeCheckEntries}.");
        if (CachedLeaderboards < 0) problems.Add($"{SectionName}:CachedLeaderboards must be >= 0; got {CachedLeaderboards}.");
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
    }
}
