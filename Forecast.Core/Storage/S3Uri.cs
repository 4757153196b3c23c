using System.Diagnostics.CodeAnalysis;

namespace Forecast.Core.Storage;

/// <summary>
/// An s3://bucket/key location. The key may be empty (the bucket itself) or end with '/' (a prefix, as a run output).
/// Bucket names follow the S3 general-purpose bucket rules (3-63 characters of a-z, 0-9, '.', '-', starting and ending
/// with a letter or digit; https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html) so a typo fails
/// here, naming the URI, instead of as an opaque 400 from the service.
/// </summary>
public readonly record struct S3Uri
{
    public const string Scheme = "s3://";

    public S3Uri(string bucket, string key)
    {
        if (ValidateBucket(bucket) is { } problem) throw new FormatException($"S3 URI '{Scheme}{bucket}/{key}': {problem}");
        if (key.StartsWith('/')) throw new FormatException($"S3 URI '{Scheme}{bucket}/{key}': the key must not start with '/'; write s3://{bucket}/{key.TrimStart('/')}.");
        Bucket = bucket;
        Key = key;
    }

    public string Bucket { get; }

    /// <summary>The object key or key prefix, without a leading '/'; empty for the bucket root.</summary>
    public string Key { get; }

    /// <summary>True when <paramref name="location"/> is written as an s3:// URI (as opposed to a local path).</summary>
    public static bool IsS3(string? location) => location is not null && location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses s3://bucket[/key]; throws a <see cref="FormatException"/> naming the input and what to write instead.</summary>
    public static S3Uri Parse(string uri) =>
        TryParse(uri, out var parsed, out string? problem) ? parsed : throw new FormatException($"'{uri}' is not an S3 URI: {problem}");

    public static bool TryParse(string? uri, out S3Uri parsed) => TryParse(uri, out parsed, out _);

    private static bool TryParse(string? uri, out S3Uri parsed, [NotNullWhen(false)] out string? problem)
    {
        parsed = default;
        if (string.IsNullOrWhiteSpace(uri)) { problem = "it is empty; write s3://<bucket>/<key>."; return false; }
        if (!IsS3(uri)) { problem = "it must start with s3:// (for example s3://forecast-data/input/m4_hourly.csv)."; return false; }
        string rest = uri[Scheme.Length..];
        int slash = rest.IndexOf('/');
        string bucket = slash < 0 ? rest : rest[..slash];
        string key = slash < 0 ? "" : rest[(slash + 1)..];
        if (ValidateBucket(bucket) is { } bucketProblem) { problem = bucketProblem; return false; }
        if (key.StartsWith('/')) { problem = $"the key must not start with '/'; write s3://{bucket}/{key.TrimStart('/')}."; return false; }
        if (key.Contains('\\')) { problem = "the key contains '\\'; S3 keys use '/' as the separator."; return false; }
        parsed = new S3Uri(bucket, key);
        problem = null;
        return true;
    }

    /// <summary>The location of <paramref name="relativeKey"/> under this URI taken as a prefix ("a/b" + "c" = "a/b/c").</summary>
    public S3Uri Append(string relativeKey) =>
        new(Bucket, Key.Length == 0 ? relativeKey : $"{Key.TrimEnd('/')}/{relativeKey.TrimStart('/')}");

    /// <summary>This URI as a key prefix: the key with one trailing '/' (or empty for the bucket root).</summary>
    public string KeyPrefix => Key.Length == 0 ? "" : Key.TrimEnd('/') + "/";

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";

    private static string? ValidateBucket(string bucket)
    {
        if (bucket.Length is < 3 or > 63)
            return $"bucket name '{bucket}' must have 3 to 63 characters.";
        foreach (char c in bucket)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
                return $"bucket name '{bucket}' may contain only lower-case letters, digits, '.' and '-' (found '{c}').";
        }
        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
            return $"bucket name '{bucket}' must start and end with a letter or digit.";
        if (bucket.Contains(".."))
            return $"bucket name '{bucket}' must not contain two adjacent periods.";
        return null;
    }
}
