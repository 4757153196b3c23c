using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Forecast.Evaluator.Extensions;

/// <summary>
/// A request the endpoints cannot bind (malformed or too deeply nested JSON, a field of the wrong type, a query value
/// that is not a number or overflows int) is a 400 problem+json saying what is wrong, never a 500. Minimal APIs throw
/// <see cref="BadHttpRequestException"/> for these once <see cref="RouteHandlerOptions.ThrowOnBadRequest"/> is on
/// (it is, in every environment); this handler turns it into the problem response.
/// </summary>
internal sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        context.Response.StatusCode = bad.StatusCode;
        string detail = bad.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "The request is malformed.", Detail = detail },
        });
    }
}
