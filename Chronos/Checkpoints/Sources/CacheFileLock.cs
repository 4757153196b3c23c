namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// An exclusive lock on a file shared between processes: .NET opens with FileShare.None through flock(LOCK_EX) on
/// Unix, so a second process (or task) waits until the first disposes the lock. The lock file is left in place, as
/// huggingface_hub leaves its .locks files.
/// </summary>
internal sealed class CacheFileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream stream;

    private CacheFileLock(FileStream stream) => this.stream = stream;

    public static async Task<CacheFileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new CacheFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another downloader of the same blob.
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
