using System.Text.Json;

namespace Forecast.Chronos.Tests.Support;

/// <summary>Paths of the copied reference fixtures (tests/Chronos.Tests/Fixtures, see its NOTICE).</summary>
internal static class Fixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string SetA(params string[] parts) => Path.Combine([Root, "set-a", .. parts]);

    public static string Dummy(params string[] parts) => Path.Combine([Root, "dummy-models", .. parts]);

    public static readonly string[] SeriesNames = ["sine", "nans", "short", "constant", "zeros", "large", "negative"];

    public static JsonElement SetASummary { get; } = JsonDocument.Parse(File.ReadAllText(SetA("summary.json"))).RootElement;
}
