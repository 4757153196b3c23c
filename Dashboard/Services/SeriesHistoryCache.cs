using Forecast.Core.Artifacts;
using Forecast.Core.Data;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using Forecast.Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Services;

/// <summary>
/// The input series of a run, for drawing their history: a run stores forecasts, not its data, so the data file its
/// config.yaml names is loaded with Forecast.Core's <see cref="SeriesLoader"/> (relative paths against
/// <see cref="DashboardOptions.DataRoot"/>). The few most recent files stay in memory, keyed by path and modification
/// time (or, for s3:// data, by URI and the run's data fingerprint), so paging through thousands of series loads a file
/// once.
/// </summary>
public sealed class SeriesHistoryCache(IOptions<DashboardOptions> options, IHostEnvironment environment, StorageLocations locations, ILogger<SeriesHistoryCache> logger)
{
    private const int Capacity = 3;
    private readonly Lock _gate = new();
    private readonly LinkedList<(string Key, Task<SeriesHistory> Load)> _entries = new();

    /// <summary>The series by id, or a note saying why the history cannot be shown.</summary>
    public async Task<SeriesHistory> GetAsync(RunConfigSummary config, string? expectedSha256, CancellationToken cancellationToken)
    {
        string path = config.Data.Path;
        if (string.IsNullOrWhiteSpace(path)) return SeriesHistory.Unavailable("the run's config names no data.path");
        string location, version;
        if (S3Uri.IsS3(path))
        {
            (location, version) = (path, expectedSha256 ?? "");
        }
        else
        {
            location = Path.GetFullPath(path, Path.GetFullPath(options.Value.DataRoot, environment.ContentRootPath));
            if (!File.Exists(location)) return SeriesHistory.Unavailable("the run's data file is no longer there");
            version = File.GetLastWriteTimeUtc(location).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        string key = $"{location}|{version}|{config.Data.IdColumn}|{config.Data.TimeColumn}|{config.Data.TargetColumn}";
        string fullPath = location;
        Task<SeriesHistory> load;
        lock (_gate)
        {
            var node = _entries.First;
            while (node is not null && node.Value.Key != key) node = node.Next;
            if (node is not null) _entries.Remove(node);
            else node = new LinkedListNode<(string, Task<SeriesHistory>)>((key, LoadAsync(fullPath, config)));
            _entries.AddFirst(node);
            while (_entries.Count > Capacity) _entries.RemoveLast();
            load = node.Value.Load;
        }
        var history = await load.WaitAsync(cancellationToken);
        // The data fingerprint of the run says whether the file is still the one the run read.
        return expectedSha256 is not null && history.Sha256 is not null && history.Sha256 != expectedSha256
            ? history with { Note = "the data file changed since the run; the history drawn is today's file" }
            : history;
    }

    private async Task<SeriesHistory> LoadAsync(string fullPath, RunConfigSummary config)
    {
        try
        {
            var dataOptions = new DataOptions
            {
                Path = fullPath,
                Format = Enum.TryParse<DataFormat>(config.Data.Format, ignoreCase: true, out var format) ? format : DataFormat.Auto,
                IdColumn = config.Data.IdColumn,
                TimeColumn = config.Data.TimeColumn,
                TargetColumn = config.Data.TargetColumn,
                SeriesId = config.Data.SeriesId,
            };
            LoadedData data;
            if (S3Uri.IsS3(fullPath))
            {
                await using var stream = await locations.OpenReadAsync(fullPath);
                data = await SeriesLoader.LoadAsync(stream, fullPath, dataOptions);
            }
            else
            {
                data = await SeriesLoader.LoadAsync(dataOptions);
            }
            var byId = new Dictionary<string, TimeSeries>(StringComparer.Ordinal);
            foreach (var s in data.Series) byId.TryAdd(s.Id, s);
            return new SeriesHistory(byId, data.Fingerprint.Sha256, null);
        }
        catch (Exception e) when (e is DataException or S3StorageException or IOException)
        {
            logger.LogWarning("Cannot load the history of a run from {Path}: {Message}", fullPath, e.Message);
            return SeriesHistory.Unavailable("the run's data file cannot be read: " + e.Message);
        }
    }
}

/// <summary>Loaded series by id (empty with a <see cref="Note"/> when unavailable).</summary>
public sealed record SeriesHistory(IReadOnlyDictionary<string, TimeSeries> Series, string? Sha256, string? Note)
{
    public static SeriesHistory Unavailable(string note) => new(new Dictionary<string, TimeSeries>(), null, note);
}
