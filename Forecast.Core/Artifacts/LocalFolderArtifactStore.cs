using System.Runtime.CompilerServices;

namespace Forecast.Core.Artifacts;

/// <summary>
/// An <see cref="IArtifactStore"/> on a local folder: a key is a file path under <see cref="Root"/>. Each put writes a
/// temporary file next to the target and renames it over the target, so a reader never sees a half-written object
/// (the same guarantee an S3 PUT gives).
/// </summary>
public sealed class LocalFolderArtifactStore : IArtifactStore
{
    private const string TemporarySuffix = ".partial";

    public LocalFolderArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Describe(string key) => PathOf(key);

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        string path = PathOf(key);
        string temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new ArtifactStoreException($"Cannot write {path}: {e.Message} Make the folder writable or choose another run.output.", path, e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        string target = PathOf(key);
        string temporary = $"{target}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // A move within one file system renames; across file systems .NET copies. Either way the target appears whole.
            File.Move(path, temporary);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new ArtifactStoreException($"Cannot write {target}: {e.Message} Make the folder writable or choose another run.output.", target, e);
        }
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        string path = PathOf(key);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        string path = PathOf(key);
        if (!File.Exists(path)) return null;
        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new ArtifactInfo(key, info.Length) : null);
    }

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (!Directory.Exists(Root)) yield break;
        // Walk only the folder the prefix names (all of it when the prefix ends inside a file name).
        int slash = prefix.LastIndexOf('/');
        string folder = slash < 0 ? Root : Path.Combine(Root, prefix[..slash]);
        if (!Directory.Exists(folder)) yield break;
        var keys = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(f => (Key: Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'), Path: f))
            .Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(k => k.Key, StringComparer.Ordinal);
        foreach (var (key, path) in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (info.Exists) yield return new ArtifactInfo(key, info.Length);
        }
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
            throw new ArgumentException($"A folder prefix ends with '/'; got '{prefix}'.", nameof(prefix));
        string folder = prefix.Length == 0 ? Root : PathOf(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder)) yield break;
        // Names only (one directory read, no stat per entry): a run folder holding 1,435 files costs what an empty one does.
        var names = Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return prefix + name + "/";
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        string path = PathOf(key);
        try
        {
            File.Delete(path);
            DeleteEmptyFolders(Path.GetDirectoryName(path)!);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone with its folder: deleting a missing key is not an error.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactStoreException($"Cannot delete {path}: {e.Message}", path, e);
        }
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ArtifactKey.Validate(key);
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>Folders exist only to hold objects: remove the ones a delete emptied, up to the root.</summary>
    private void DeleteEmptyFolders(string folder)
    {
        while (folder.Length > Root.Length && folder.StartsWith(Root, StringComparison.Ordinal)
               && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
