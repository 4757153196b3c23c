using System.Text.RegularExpressions;
using Forecast.Deploy.Fargate;

namespace Forecast.Deploy;

/// <summary>
/// What the stack is built from besides the manifest. Every value has a default except the image tag: images are
/// pushed per release and "latest" on a scheduled job would silently run whatever was pushed last.
/// </summary>
public sealed partial record DeploySettings
{
    /// <summary>The Fargate size of each project when none is given: the Trainer runs Chronos/Prophet in memory.</summary>
    public static readonly IReadOnlyDictionary<string, FargateSize> DefaultSizes = new Dictionary<string, FargateSize>(StringComparer.Ordinal)
    {
        ["trainer"] = new(2048, 8192),
        ["evaluator"] = new(1024, 4096),
        ["dashboard"] = new(512, 1024),
    };

    public static readonly FargateSize FallbackSize = new(512, 1024);

    public string StackName { get; init; } = "Forecast";

    /// <summary>The image tag pushed to every ECR repository (e.g. a git commit or release number).</summary>
    public required string ImageTag { get; init; }

    /// <summary>Fargate sizes by project resource name; projects not listed take <see cref="DefaultSizes"/>.</summary>
    public IReadOnlyDictionary<string, FargateSize> Sizes { get; init; } = new Dictionary<string, FargateSize>();

    /// <summary>The bucket the AppHost's manifest names in s3:// URIs (the local emulator's bucket); rewritten to the stack's bucket.</summary>
    public string ManifestBucket { get; init; } = "forecast";

    /// <summary>The key prefix in the stack's bucket that every task may read and write (and nothing else).</summary>
    public string BucketPrefix { get; init; } = "forecast";

    /// <summary>The resource name of the Trainer project, the one the sharded job and the schedule run.</summary>
    public string TrainerResource { get; init; } = "trainer";

    /// <summary>How many shards the scheduled job runs (Step Functions Distributed Map over --shard i/N), then one merge.</summary>
    public int Shards { get; init; } = 4;

    /// <summary>How many shard tasks run at once (the Distributed Map's MaxConcurrency); null runs all <see cref="Shards"/> at once.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>An EventBridge schedule expression (cron(...) or rate(...)) for the sharded job, or null for none.</summary>
    public string? Schedule { get; init; }

    /// <summary>Seconds ECS waits after SIGTERM before SIGKILL (Fargate allows at most 120): the Trainer aborts its run cleanly.</summary>
    public int StopTimeoutSeconds { get; init; } = 120;

    public int LogRetentionDays { get; init; } = 30;

    public FargateSize SizeOf(string project) =>
        Sizes.TryGetValue(project, out var size) ? size : DefaultSizes.TryGetValue(project, out size) ? size : FallbackSize;

    /// <summary>Checks every setting; the message names the setting and the fix.</summary>
    public DeploySettings Validate()
    {
        if (string.IsNullOrWhiteSpace(ImageTag))
            throw new DeployException("--image-tag: missing image tag; pass the tag you pushed to ECR (e.g. --image-tag 1.4.0 or --image-tag $(git rev-parse --short HEAD)) or set FORECAST_IMAGE_TAG.");
        if (!TagPattern().IsMatch(ImageTag))
            throw new DeployException($"--image-tag: '{ImageTag}' is not a valid image tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-').");
        foreach (var (project, size) in Sizes) size.Validate($"--size {project}");
        if (Shards < 1 || Shards > 10_000)
            throw new DeployException($"--shards: {Shards} is out of range; a Distributed Map runs 1 to 10000 shards.");
        if (MaxConcurrency is int concurrency && (concurrency < 1 || concurrency > Shards))
            throw new DeployException($"--max-concurrency: {concurrency} is out of range; between 1 and --shards ({Shards}) shard tasks can run at once.");
        if (StopTimeoutSeconds < 2 || StopTimeoutSeconds > 120)
            throw new DeployException($"--stop-timeout: {StopTimeoutSeconds} s; Fargate allows 2 to 120 seconds.");
        if (Schedule is not null && !ScheduleExpressionPattern().IsMatch(Schedule))
            throw new DeployException($"--schedule: '{Schedule}' is not an EventBridge schedule expression; use cron(min hour day month weekday year), e.g. cron(0 2 * * ? *), or rate(1 day).");
        if (!PrefixPattern().IsMatch(BucketPrefix))
            throw new DeployException($"--bucket-prefix: '{BucketPrefix}' must be a key prefix of letters, digits, '-', '_' and '/' without a leading or trailing '/'.");
        return this;
    }

    // OCI distribution spec: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$")]
    private static partial Regex ScheduleExpressionPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")]
    private static partial Regex PrefixPattern();
}
