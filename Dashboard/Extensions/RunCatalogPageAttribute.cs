namespace Forecast.Dashboard.Extensions;

/// <summary>
/// Marks a page drawn from the run catalog alone (the runs list, the leaderboard): <see cref="RunCatalogPageCache"/>
/// renders it once per version of the catalog and URL, then serves the bytes.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunCatalogPageAttribute : Attribute;
