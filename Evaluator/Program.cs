using Forecast.Evaluator.Apis;
using Forecast.Evaluator.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseLoopbackByDefault();
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapEvaluatorApi();

app.Run();

/// <summary>The entry point, public so tests can host the real app with WebApplicationFactory.</summary>
public partial class Program;
