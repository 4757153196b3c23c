using System.CommandLine;
using Forecast.Chronos.Checkpoints;
using Forecast.Core.Data;
using Forecast.Core.Evaluation;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Features;
using Forecast.Trainer.Pipeline;
using Forecast.Trainer.Platform;
using Forecast.Trainer.Sharding;
using Spectre.Console;

namespace Forecast.Trainer.Cli;

/// <summary>
/// The Trainer command line (System.CommandLine): <c>--config</c>, <c>--set key=value</c>, <c>--help</c>. Runs the
/// pipeline with a progress bar on a terminal (plain lines otherwise) and maps failures to the documented exit codes.
/// </summary>
public static class TrainerCli
{
    private const string Description = """
        Forecast Trainer: loads long-format series, cleans and explores them, evaluates a model (holdout or rolling
        backtest, scored against seasonal naive), forecasts beyond the data and commits a run folder
        <run.output>/runs/<run-id>/ (config, data fingerprint, cleaning, EDA, metrics, forecasts CSV/Parquet, plots,
        manifest.json written last).

        Scale out: --shard i/N --batch B runs the series whose FNV-1a-64(unique_id) mod N is i and commits a shard run
        under <run.output>/shards/; 'merge --batch B --shards N' then commits one run over all series (docs/deploy.md).

        Exit codes: 0 ok, 1 other failure (including Ctrl+C and SIGTERM), 2 configuration error (also unknown options and an
        unwritable run.output), 3 data error (missing or malformed data, series too short for the horizon).
        """;

    /// <param name="interactive">Whether to draw a progress bar; null decides from whether stdout is a terminal.</param>
    /// <param name="platform">S3 storage, feature flags and logging from the host; null is <see cref="TrainerPlatform.Local"/>.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, bool? interactive = null, CancellationToken cancellationToken = default,
        TrainerPlatform? platform = null)
    {
        var configOption = new Option<string?>("--config", "-c")
        {
            Description = $"The YAML configuration (default: the {ConfigLoader.EnvironmentVariable} environment variable).",
            Recursive = true,
        };
        var setOption = new Option<string[]>("--set")
        {
            Description = "Overrides one key, e.g. --set evaluation.horizon=24 --set model.name=naive (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
            Recursive = true,
        };
        var shardOption = new Option<string?>("--shard") { Description = "Run shard i of N (0 <= i < N), e.g. --shard 0/4 (default: FORECAST_SHARD); needs --batch." };
        var batchOption = new Option<string?>("--batch") { Description = "The id of a sharded job, shared by its shards and its merge (default: FORECAST_BATCH).", Recursive = true };
        var shardsOption = new Option<int>("--shards") { Description = "How many shards the batch has (the N of --shard i/N).", Required = true };
        var merge = new Command("merge", "Combines the committed shard runs of --batch into one committed run over all series (metrics recomputed).") { shardsOption };
        var root = new RootCommand(Description) { configOption, setOption, shardOption, batchOption, merge };
        int exitCode = ExitCodes.Ok;
        Func<ParseResult, ShardingRequest, CancellationToken, Task<int>> run = async (parse, sharding, ct) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellationToken);
            exitCode = await RunPipelineAsync(parse.GetValue(configOption), parse.GetValue(setOption) ?? [], sharding, output, errors,
                interactive ?? !Console.IsOutputRedirected, platform ?? TrainerPlatform.Local, linked.Token);
            return exitCode;
        };
        root.SetAction((parse, ct) => run(parse, ShardingRequest.FromCommandLine(parse.GetValue(shardOption), parse.GetValue(batchOption), null, Environment.GetEnvironmentVariable), ct));
        merge.SetAction((parse, ct) => run(parse, ShardingRequest.FromCommandLine(null, parse.GetValue(batchOption), parse.GetValue(shardsOption), Environment.GetEnvironmentVariable), ct));

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors) await errors.WriteLineAsync($"error: {error.Message}");
            await errors.WriteLineAsync("Run with --help for the options.");
            return ExitCodes.ConfigError;
        }
        var invocation = new InvocationConfiguration { Output = output, Error = errors };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    private static async Task<int> RunPipelineAsync(string? configFlag, string[] overrides, ShardingRequest sharding, TextWriter output, TextWriter errors, bool interactive,
        TrainerPlatform platform, CancellationToken cancellationToken)
    {
        var log = new ConsoleRunLog(output, errors, logger: platform.Logger);
        try
        {
            string path = ConfigLoader.ResolvePath(configFlag);
            log.Info($"Configuration {path}{(overrides.Length > 0 ? " with " + string.Join(" ", overrides.Select(o => "--set " + o)) : "")}");
            var (config, withModel) = await PlatformConfig.LoadAsync(path, overrides, platform.Locations, cancellationToken);
            config = await FeatureOverrides.ApplyAsync(config, platform.Features, withModel, log, cancellationToken);
            (config, var store, var variant) = await sharding.PlanAsync(config, platform.Locations, log, cancellationToken);
            RunResult result;
            if (interactive)
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes });
                var barLog = new ConsoleRunLog(line => console.WriteLine(line), line => { errors.WriteLine(line); errors.Flush(); }, logger: platform.Logger);
                result = await console.Progress().AutoClear(false)
                    .StartAsync(context => new TrainingPipeline(config, barLog, new SpectreProgress(context), store, locations: platform.Locations, variant: variant).RunAsync(cancellationToken));
            }
            else
            {
                result = await new TrainingPipeline(config, log, new PlainProgress(log), store, locations: platform.Locations, variant: variant).RunAsync(cancellationToken);
            }
            log.Info($"Done: {result.Location}");
            return ExitCodes.Ok;
        }
        catch (ConfigException e)
        {
            log.Error(e.Message);
            return ExitCodes.ConfigError;
        }
        catch (CheckpointException e)
        {
            // A damaged or mismatched checkpoint fetched from s3:// or the hub (local folders are checked with the config).
            log.Error($"model.chronos.checkpoint: {e.Message}");
            return ExitCodes.ConfigError;
        }
        catch (Exception e) when (e is DataException or SeriesTooShortException or ShardMergeException)
        {
            log.Error(e.Message);
            return ExitCodes.DataError;
        }
        catch (OperationCanceledException)
        {
            log.Error("Cancelled; no run was committed.");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            log.Error($"{e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}");
            return ExitCodes.Failure;
        }
    }
}
