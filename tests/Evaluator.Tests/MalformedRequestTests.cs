using System.Net;
using System.Text;
using System.Text.Json;

namespace Forecast.Evaluator.Tests;

/// <summary>
/// Requests the API cannot bind are 400 problem+json, never 500 (found by the hardening pass), and every response
/// carries the security headers (X-Content-Type-Options and the rest).
/// </summary>
[Collection(TrainedRunsCollection.Name)]
public sealed class MalformedRequestTests : IDisposable
{
    private readonly EvaluatorApp _app;
    private readonly HttpClient _client;

    public MalformedRequestTests(TrainedRuns runs)
    {
        _app = new EvaluatorApp(runs.Output);
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<JsonElement> ExpectProblem(HttpResponseMessage response, string detailPart)
    {
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("detail").GetString().Should().Contain(detailPart);
        return problem;
    }

    private Task<HttpResponseMessage> PostMetrics(string json) =>
        _client.PostAsync("/api/metrics", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_malformed_JSON_body_is_400()
    {
        await ExpectProblem(await PostMetrics("{\"series\": [{\"id\": \"a\", "), "not valid JSON");
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_400_naming_the_field()
    {
        await ExpectProblem(await PostMetrics("{\"series\": [{\"id\": \"a\", \"actuals\": \"many\", \"mean\": [1]}]}"), "actuals");
    }

    [Fact]
    public async Task JSON_nested_100000_deep_is_400()
    {
        string deep = "{\"series\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
        await ExpectProblem(await PostMetrics(deep), "not valid JSON");
    }

    [Theory]
    [InlineData("/api/runs?page=99999999999", "page")]
    [InlineData("/api/runs?pageSize=abc", "pageSize")]
    [InlineData("/api/runs/x/metrics/series?page=1e3", "page")]
    public async Task A_query_number_that_does_not_fit_is_400_naming_the_parameter(string url, string parameter)
    {
        await ExpectProblem(await _client.GetAsync(url), parameter);
    }

    [Fact]
    public async Task The_last_possible_page_is_empty_rather_than_an_overflow()
    {
        var response = await _client.GetAsync($"/api/runs?page={int.MaxValue}&pageSize=500");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        page.RootElement.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/runs?page=x")]
    [InlineData("/api/runs/nope")]
    [InlineData("/openapi/v1.json")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        var response = await _client.GetAsync(url);
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("same-origin");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
    }
}
