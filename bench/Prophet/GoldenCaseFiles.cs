using System.Text.Json;
using Forecast.Prophet.Tests.Golden;

namespace Forecast.Prophet.Bench;

/// <summary>A golden case's history, predict frame and options (tests/Prophet.Tests/Fixtures/golden; see its NOTICE).</summary>
internal sealed record GoldenCaseFiles(string Name, ProphetFrame History, ProphetFrame Future, JsonElement Options)
{
    public static GoldenCaseFiles Load(string directory)
    {
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "options.json"))).RootElement;
        return new GoldenCaseFiles(Path.GetFileName(directory), GoldenCaseModel.ReadHistory(directory, options),
            GoldenCaseModel.ReadFuture(directory, options), options);
    }

    public Prophet CreateModel() => GoldenCaseModel.Create(Options);
}
