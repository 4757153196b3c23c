using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Forecast.Deploy.Tests;

/// <summary>
/// Every synthesized task definition is a valid ECS RegisterTaskDefinition request by the ECS API model itself:
/// deploy/validate-task-definition.py runs botocore's parameter validator (what the AWS CLI runs before sending),
/// offline. A deliberately broken request proves the validator rejects what it should.
/// </summary>
[Collection(SynthesizedStackCollection.Name)]
public class TaskDefinitionValidationTests(SynthesizedStack stack)
{
    internal static (int ExitCode, string Output) Validate(params string[] files)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SynthesizedStack.FixturePath("validate-task-definition.py"));
        foreach (string file in files) start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string all = output + stderr.Result;
        if (process.ExitCode == 2) throw new InvalidOperationException($"The validator could not run: {all} (CI installs python3-botocore in .ci/run).");
        return (process.ExitCode, all);
    }

    [BotocoreFact, Trait("Requires", "botocore")]
    public void Every_task_definition_is_valid_against_the_ECS_API_model()
    {
        var (code, output) = Validate([.. stack.Result.TaskDefinitionPaths]);
        code.Should().Be(0, output);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3).And.OnlyContain(line => line.Contains(": valid (botocore"));
    }

    [BotocoreFact, Trait("Requires", "botocore")]
    public void The_validator_rejects_a_request_the_API_would_reject()
    {
        var broken = JsonNode.Parse(File.ReadAllText(stack.Result.TaskDefinitionPaths[0]))!.AsObject();
        broken["cpu"] = 2048;                                              // a string in the API
        broken["containerDefinitions"]![0]!["stopTimeout"] = "120";        // an integer in the API
        broken["containerDefinitions"]![0]!.AsObject().Remove("name");     // fine for the API, but…
        broken["networkMode"] = "bridged";                                 // not an enum value (botocore does not check enums)
        broken["containerDefinitions"]![0]!["environment"]![0]!.AsObject()["nmae"] = "typo";
        string path = Path.Combine(stack.Folder, "broken.json");
        File.WriteAllText(path, broken.ToJsonString());

        var (code, output) = Validate(path);

        code.Should().Be(1);
        output.Should().Contain("INVALID").And.Contain("Invalid type for parameter cpu").And.Contain("stopTimeout").And.Contain("Unknown parameter in containerDefinitions[0].environment[0]: \"nmae\"");
    }
}

/// <summary>
/// A fact that needs python3 with botocore (the ECS API model): skipped, saying why, where it is absent. Mark such
/// tests [Trait("Requires", "botocore")] too: .ci/run reruns them by that trait once it has installed botocore.
/// </summary>
public sealed class BotocoreFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindProblem);

    public BotocoreFactAttribute()
    {
        if (Missing.Value is { } problem)
            Skip = problem + ": install python3-botocore (apt-get install -y python3-botocore, as .ci/run does) to validate task definitions against the ECS API model.";
    }

    private static string? FindProblem()
    {
        try
        {
            var start = new ProcessStartInfo("python3", ["-c", "import botocore"]) { RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : "python3 has no botocore module";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "python3 is not on PATH";
        }
    }
}
