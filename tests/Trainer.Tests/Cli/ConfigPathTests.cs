using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Cli;

/// <summary>
/// Where the config path comes from: --config, else FORECAST_CONFIG. These tests change the process environment, so
/// they live in one class (xunit runs a class's tests one after another).
/// </summary>
public class ConfigPathTests
{
    [Fact]
    public async Task ConfigFromTheEnvironmentVariableIsUsedWhenNoFlagIsGiven()
    {
        string? saved = Environment.GetEnvironmentVariable("FORECAST_CONFIG");
        try
        {
            using var run = new TrainerRun();
            Environment.SetEnvironmentVariable("FORECAST_CONFIG", TrainerRun.DefaultConfig);
            var (code, output, errors) = await TrainerRun.InProcessAsync("--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}");
            code.Should().Be(ExitCodes.Ok, errors);
            output.Should().Contain("default-config.yaml");
        }
        finally
        {
            Environment.SetEnvironmentVariable("FORECAST_CONFIG", saved);
        }
    }

    [Fact]
    public async Task NoConfigAtAllSaysHowToGiveOne()
    {
        string? saved = Environment.GetEnvironmentVariable("FORECAST_CONFIG");
        try
        {
            Environment.SetEnvironmentVariable("FORECAST_CONFIG", null);
            var (code, _, errors) = await TrainerRun.InProcessAsync();
            code.Should().Be(ExitCodes.ConfigError);
            errors.Should().Contain("--config").And.Contain("FORECAST_CONFIG");
        }
        finally
        {
            Environment.SetEnvironmentVariable("FORECAST_CONFIG", saved);
        }
    }
}
