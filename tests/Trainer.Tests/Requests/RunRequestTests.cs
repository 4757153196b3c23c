using Forecast.Core.Artifacts;
using Forecast.Core.Requests;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Requests;

/// <summary>
/// `--request &lt;root&gt;/requests/&lt;id&gt;.json`: the path the Dashboard drives locally and an S3 event drives on AWS.
/// The request names the whole run; the Trainer reports on it in request-status/&lt;id&gt;.json.
/// </summary>
public class RunRequestTests
{
    private static RunRequest Request(TrainerRun run, string id, string config, IReadOnlyDictionary<string, string>? flags = null, params string[] overrides) =>
        new(id, new DateTime(2026, 12, 6, 16, 0, 0, DateTimeKind.Utc), config,
            [$"data.path={TrainerRun.SampleData}", $"run.output={run.Output}", "plots.enabled=false", .. overrides],
            flags ?? new Dictionary<string, string>(), "test");

    [Fact]
    public async Task A_request_runs_its_config_and_flags_and_reports_success_with_the_run_id()
    {
        using var run = new TrainerRun();
        var requests = new RunRequestStore(run.Store);
        var flags = new Dictionary<string, string>
        {
            ["feature_management:feature_flags:0:id"] = "Model",
            ["feature_management:feature_flags:0:enabled"] = "true",
            ["feature_management:feature_flags:0:variants:0:name"] = "seasonal_naive",
            ["feature_management:feature_flags:0:variants:1:name"] = "naive",
            ["feature_management:feature_flags:0:allocation:percentile:0:variant"] = "naive",
            ["feature_management:feature_flags:0:allocation:percentile:0:from"] = "0",
            ["feature_management:feature_flags:0:allocation:percentile:0:to"] = "100",
        };
        await requests.SubmitAsync(Request(run, "20261206T160000Z-aaaa0001", TrainerRun.DefaultConfig, flags, "evaluation.horizon=6"));
        (await requests.GetStatusAsync("20261206T160000Z-aaaa0001"))!.State.Should().Be(RunRequestState.Queued);

        // The command line's --config and --set give way to the request.
        var (code, output, errors) = await TrainerRun.InProcessAsync("--request", requests.LocationOf("20261206T160000Z-aaaa0001"),
            "--config", "no-such.yaml", "--set", "evaluation.horizon=99");

        code.Should().Be(ExitCodes.Ok, errors + output);
        var status = (await requests.GetStatusAsync("20261206T160000Z-aaaa0001"))!;
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        status.Should().BeEquivalentTo(new { State = RunRequestState.Succeeded, Percent = 100, RunId = manifest.RunId, ExitCode = 0 });
        var metrics = await new RunReader(run.Store).ReadMetricsAsync(manifest.RunId);
        metrics!.Evaluation.Horizon.Should().Be(6);
        metrics.Dataset.Model.Should().Be("naive|seasonal_naive", "the request's Model flag routed the series");
        string flagsYaml = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "flags.yaml"));
        flagsYaml.Should().Contain("source: run request 20261206T160000Z-aaaa0001");
    }

    [Fact]
    public async Task A_request_whose_config_is_invalid_fails_with_the_message_and_exit_code_in_its_status()
    {
        using var run = new TrainerRun();
        var requests = new RunRequestStore(run.Store);
        await requests.SubmitAsync(Request(run, "bad-config", TrainerRun.DefaultConfig, null, "evaluation.horizon=0"));

        var (code, _, _) = await TrainerRun.InProcessAsync("--request", requests.LocationOf("bad-config"));

        code.Should().Be(ExitCodes.ConfigError);
        var status = (await requests.GetStatusAsync("bad-config"))!;
        status.State.Should().Be(RunRequestState.Failed);
        status.ExitCode.Should().Be(ExitCodes.ConfigError);
        status.Message.Should().Contain("evaluation.horizon");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("somewhere/else.json")]
    [InlineData("requests/../x.json")]
    [InlineData("requests/missing.json")]
    public async Task A_request_location_that_is_not_a_request_is_a_config_error_naming_it(string location)
    {
        using var run = new TrainerRun();

        var (code, _, errors) = await TrainerRun.InProcessAsync("--request", Path.Combine(run.Output, location));

        code.Should().Be(ExitCodes.ConfigError);
        errors.Should().Contain("--request");
    }
}
