using Forecast.Core.Storage;

namespace Forecast.Core.Tests.Storage;

public sealed class S3UriTests
{
    [Theory]
    [InlineData("s3://forecast-data/input/m4.csv", "forecast-data", "input/m4.csv")]
    [InlineData("s3://forecast-data", "forecast-data", "")]
    [InlineData("s3://forecast-data/", "forecast-data", "")]
    [InlineData("s3://my.bucket-1/runs/", "my.bucket-1", "runs/")]
    [InlineData("S3://abc/x y/z", "abc", "x y/z")]
    public void Parse_splits_bucket_and_key(string uri, string bucket, string key)
    {
        var parsed = S3Uri.Parse(uri);

        parsed.Bucket.Should().Be(bucket);
        parsed.Key.Should().Be(key);
    }

    [Theory]
    [InlineData("/data/m4.csv", "must start with s3://")]
    [InlineData("", "empty")]
    [InlineData("s3://", "3 to 63")]
    [InlineData("s3://ab/key", "3 to 63")]
    [InlineData("s3://Forecast/key", "lower-case")]
    [InlineData("s3://my_bucket/key", "lower-case")]
    [InlineData("s3://-bucket/key", "start and end")]
    [InlineData("s3://a..b/key", "adjacent periods")]
    [InlineData("s3://bucket//key", "must not start with '/'")]
    [InlineData("s3://bucket/a\\b", "'/' as the separator")]
    public void Parse_rejects_bad_uris_naming_the_input(string uri, string problem)
    {
        var parse = () => S3Uri.Parse(uri);

        parse.Should().Throw<FormatException>().WithMessage($"*'{uri}'*").WithMessage($"*{problem}*");
    }

    [Fact]
    public void Append_and_prefix_compose_keys_with_one_separator()
    {
        S3Uri.Parse("s3://bucket/out").Append("runs/1/manifest.json").ToString().Should().Be("s3://bucket/out/runs/1/manifest.json");
        S3Uri.Parse("s3://bucket/out/").Append("x").ToString().Should().Be("s3://bucket/out/x");
        S3Uri.Parse("s3://bucket").Append("x").ToString().Should().Be("s3://bucket/x");
        S3Uri.Parse("s3://bucket/out").KeyPrefix.Should().Be("out/");
        S3Uri.Parse("s3://bucket").KeyPrefix.Should().Be("");
    }

    [Theory]
    [InlineData("s3://bucket/key", true)]
    [InlineData("S3://bucket/key", true)]
    [InlineData("config/default-config.yaml", false)]
    [InlineData(null, false)]
    public void IsS3_tells_uris_from_local_paths(string? location, bool expected) => S3Uri.IsS3(location).Should().Be(expected);
}
