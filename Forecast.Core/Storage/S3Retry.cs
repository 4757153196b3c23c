namespace Forecast.Core.Storage;

/// <summary>
/// Retries an S3 operation on transient failures with exponential backoff and "equal jitter" (AWS Architecture Blog,
/// "Exponential Backoff And Jitter": cap_n = min(max, base * 2^n), delay_n = cap_n/2 + random(0, cap_n/2)); unlike full
/// jitter it keeps a floor, so the default budget (6 attempts, 200 ms base) waits at least ~3 s in all, enough for an
/// emulator restart, and at most ~6 s. It rides out an emulator restart or
/// a network blip; a 4xx answer fails at once. Each attempt of a put sends the whole object again, so an interrupted
/// upload never leaves a half object (a PUT or a CompleteMultipartUpload is atomic on S3).
/// </summary>
internal sealed class S3Retry(S3StorageOptions options)
{
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, Func<Exception, S3StorageException> translate, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var translated = translate(error);
                if (attempt >= options.MaxAttempts || !S3Errors.IsTransient(translated)) throw translated;
                await Task.Delay(DelayBefore(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task ExecuteAsync(Func<CancellationToken, Task> operation, Func<Exception, S3StorageException> translate, CancellationToken cancellationToken) =>
        ExecuteAsync(async ct => { await operation(ct).ConfigureAwait(false); return true; }, translate, cancellationToken);

    private TimeSpan DelayBefore(int attempt)
    {
        double cap = Math.Min(options.MaxRetryDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(cap / 2 + Random.Shared.NextDouble() * cap / 2);
    }
}
