namespace Forecast.Core.Tests;

/// <summary>Paths of the real-data fixtures copied next to the test assembly (see Fixtures/NOTICE).</summary>
internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
