using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Forecast.Core.Storage;

namespace Forecast.Core.Tests.Storage;

/// <summary>
/// The error codes s3rver cannot produce (it does not verify SigV4 signatures, has no bucket policies and no
/// throttling), on the SDK's own exception type as its unmarshaller builds it from S3's XML error body.
/// </summary>
public sealed class S3ErrorsTests
{
    private static readonly S3Uri Uri = S3Uri.Parse("s3://forecast/runs/r/metrics.yaml");

    [Theory]
    [InlineData("AccessDenied")]
    [InlineData("SignatureDoesNotMatch")]
    [InlineData("ExpiredToken")]
    public void Forbidden_codes_are_AccessDenied_and_not_transient(string code)
    {
        var error = S3Errors.Translate(new AmazonS3Exception("denied") { ErrorCode = code, StatusCode = HttpStatusCode.Forbidden }, Uri, "write", null);

        error.Failure.Should().Be(S3Failure.AccessDenied);
        error.Message.Should().Contain("s3://forecast/runs/r/metrics.yaml").And.Contain(code);
        S3Errors.IsTransient(error).Should().BeFalse();
    }

    [Theory]
    [InlineData("SlowDown", HttpStatusCode.ServiceUnavailable)]
    [InlineData("InternalError", HttpStatusCode.InternalServerError)]
    [InlineData("TooManyRequests", HttpStatusCode.TooManyRequests)]
    public void Throttling_and_server_errors_are_transient(string code, HttpStatusCode status)
    {
        var error = S3Errors.Translate(new AmazonS3Exception("busy") { ErrorCode = code, StatusCode = status }, Uri, "write", null);

        error.Failure.Should().Be(S3Failure.ServiceError);
        S3Errors.IsTransient(error).Should().BeTrue();
    }

    [Fact]
    public void A_refused_connection_is_EndpointUnreachable_and_transient()
    {
        var refused = new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));

        var error = S3Errors.Translate(refused, Uri, "read", "http://127.0.0.1:1");

        error.Failure.Should().Be(S3Failure.EndpointUnreachable);
        error.Message.Should().Contain("http://127.0.0.1:1").And.Contain(Uri.ToString());
        S3Errors.IsTransient(error).Should().BeTrue();
    }
}
