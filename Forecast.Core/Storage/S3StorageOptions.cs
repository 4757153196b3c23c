namespace Forecast.Core.Storage;

/// <summary>
/// How to reach S3, bound from the configuration section <see cref="SectionName"/> (appsettings, environment variables
/// such as Storage__S3__ServiceUrl, or the AppHost). Credentials are deliberately absent: they come from the standard
/// AWS chain (environment, profile, ECS task role), so no secret is ever part of our configuration or logs.
/// </summary>
public sealed class S3StorageOptions
{
    public const string SectionName = "Storage:S3";

    /// <summary>Endpoint of an S3-compatible service (LocalStack, s3rver), e.g. http://127.0.0.1:4568; null for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region; also the signing region for a custom <see cref="ServiceUrl"/>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// Emulator mode for s3rver-like servers that store an aws-chunked request body as the object: no chunked
    /// encoding, checksums only when the operation requires them. Real S3 and LocalStack keep the SDK defaults.
    /// </summary>
    public bool EmulatorMode { get; set; }

    /// <summary>Path-style addressing (http://host/bucket/key); null means "on for a custom ServiceUrl".</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>Attempts per operation (the first try included) before a transient failure is reported.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay; each retry doubles it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Objects at least this large go up as a multipart upload (TransferUtility).</summary>
    public long MultipartThresholdBytes { get; set; } = 16L << 20;

    /// <summary>Part size of multipart uploads; S3 requires at least 5 MiB for every part but the last.</summary>
    public long PartSizeBytes { get; set; } = 8L << 20;

    /// <summary>Keys per ListObjectsV2 page (S3 caps it at 1000; s3rver fails with 500 near 1000 on small open-file limits).</summary>
    public int ListPageSize { get; set; } = 1000;

    internal bool UsesPathStyle => ForcePathStyle ?? ServiceUrl is not null;

    /// <summary>Throws naming the setting when a value cannot work.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (ServiceUrl is not null && !(Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            problems.Add($"{SectionName}:ServiceUrl '{ServiceUrl}' must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:4568.");
        if (string.IsNullOrWhiteSpace(Region)) problems.Add($"{SectionName}:Region must be set, e.g. us-east-1.");
        if (MaxAttempts < 1) problems.Add($"{SectionName}:MaxAttempts is {MaxAttempts}; it must be at least 1.");
        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
            problems.Add($"{SectionName}:RetryBaseDelay ({RetryBaseDelay}) must be >= 0 and <= MaxRetryDelay ({MaxRetryDelay}).");
        if (RequestTimeout <= TimeSpan.Zero) problems.Add($"{SectionName}:RequestTimeout must be positive.");
        if (ListPageSize is < 1 or > 1000) problems.Add($"{SectionName}:ListPageSize is {ListPageSize}; it must be 1 to 1000.");
        if (PartSizeBytes < 5L << 20) problems.Add($"{SectionName}:PartSizeBytes is {PartSizeBytes}; S3 needs parts of at least 5 MiB (5242880).");
        if (MultipartThresholdBytes < PartSizeBytes)
            problems.Add($"{SectionName}:MultipartThresholdBytes ({MultipartThresholdBytes}) must be >= PartSizeBytes ({PartSizeBytes}).");
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems));
    }
}
