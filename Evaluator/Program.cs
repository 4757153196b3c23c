using Forecast.Evaluator.Apis;
using Forecast.Evaluator.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseLoopbackByDefault();
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();
// Unbindable requests (bad JSON, wrong types, out-of-range numbers) throw, and become 400 problem+json in every environment.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<BadRequestProblems>();
builder.Services.AddOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders(SecurityHeaders.ApiContentSecurityPolicy);
app.MapOpenApi();
app.MapEvaluatorApi();

app.Run();

/// <summary>The entry point, public so tests can host the real app with WebApplicationFactory.</summary>
public partial class Program;
