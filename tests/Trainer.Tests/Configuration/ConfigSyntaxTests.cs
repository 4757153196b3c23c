using Forecast.Trainer.Cli;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Configuration;

/// <summary>
/// Text that YAML cannot parse is a <see cref="ConfigException"/> at file:line:column, whichever way YamlDotNet fails
/// (YamlException, or the InvalidOperationException and ArgumentException it throws on some inputs), and the Trainer
/// exits 2 with that location instead of a stack trace.
/// </summary>
public class ConfigSyntaxTests
{
    private static ConfigProblem Problem(string yaml, params string[] overrides)
    {
        var act = () => ConfigLoader.Parse(yaml, "bad.yaml", overrides);
        return act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Which;
    }

    [Fact]
    public void A_line_that_YamlDotNet_cannot_build_a_node_from_is_located()
    {
        // Found by fuzzing ConfigLoader.Parse: YamlDotNet threw ArgumentException "current event is of an unsupported type".
        var problem = Problem(" : 9\nmonthly series), scored on");
        problem.Location.Should().Be("bad.yaml:2:1");
        problem.Message.Should().StartWith("not valid YAML").And.Contain("indentation");
    }

    [Fact]
    public void An_unclosed_bracket_is_located_where_it_opens()
    {
        var problem = Problem("data:\n  path: x.csv\nevaluation:\n  quantiles: [0.1, 0.5");
        problem.Location.Should().Be("bad.yaml:4:14");
        problem.Message.Should().Contain("opened at 4:14 is never closed");
        Problem("model: {name: naive, naive: {").Location.Should().Be("bad.yaml:1:29");
    }

    [Fact]
    public void An_unclosed_quote_is_located()
    {
        Problem("data:\n  path: 'x.csv\n").Location.Should().Be("bad.yaml:2:9");
    }

    [Fact]
    public void A_tab_in_the_indentation_is_reported_on_its_line()
    {
        var problem = Problem("data:\n\tpath: x.csv\n");
        problem.Location.Should().Be("bad.yaml:2:1");
        problem.Message.Should().Contain("tab").And.Contain("spaces only");
        Problem("data:\n  path: x.csv\nmodel:\n\tname: naive\n").Location.Should().Be("bad.yaml:4:1");
    }

    [Fact]
    public void An_override_whose_value_is_not_YAML_names_the_override()
    {
        var problem = Problem("data:\n  path: x.csv\nmodel:\n  name: naive\nevaluation:\n  horizon: 3\n", "evaluation.quantiles=[0.1, 0.5");
        problem.Location.Should().Be("--set evaluation.quantiles=[0.1, 0.5");
        problem.Message.Should().Contain("the value is not valid YAML").And.Contain("never closed");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_Trainer_exits_2_with_the_location_and_no_stack_trace(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string config = run.Write("fuzzed.yaml", " : 9\nmonthly series), scored on");
        var (code, _, errors) = await run.RunAsync("--config", config);
        code.Should().Be(ExitCodes.ConfigError, errors);
        errors.Should().Contain("fuzzed.yaml:2:1: not valid YAML").And.NotContain("   at ");
        run.FilesUnderRuns().Should().BeEmpty();
    }
}
