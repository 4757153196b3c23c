using System.Text.Json.Serialization;
using Forecast.Dashboard.Apis;
using Forecast.Dashboard.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseLoopbackByDefault();
builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddRazorPages();
builder.Services.AddProblemDetails();
// Chart columns may hold NaN quantile levels (JSON has no NaN, so they travel as "NaN"); job states travel as names.
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
});

var app = builder.Build();

app.MapDefaultEndpoints();

app.UseExceptionHandler("/error");
app.UseStatusCodePages();
app.UseSecurityHeaders(DashboardSecurityPolicy.ContentSecurityPolicy);
app.UseSameOriginPosts();
app.UseStaticFiles();
app.UseRunCatalogPageCache();
app.MapRazorPages();
app.MapDashboardData();

app.Run();

/// <summary>The entry point, public so tests can host the real app.</summary>
public partial class Program;
