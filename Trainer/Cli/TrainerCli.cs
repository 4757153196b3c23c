using System.CommandLine;
using Forecast.Chronos.Checkpoints;
using Forecast.Core.Data;
using Forecast.Core.Artifacts;
using Forecast.Core.Evaluation;
using Forecast.Core.Models;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Features;
using Forecast.Trainer.Pipeline;
using Forecast.Trainer.Platform;
using Forecast.Trainer.Requests;
using Forecast.Trainer.Sharding;
using Forecast.Trainer.Sharding.Partitioning;
using Forecast.Trainer.Telemetry;
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

        Scale out: 'partition --batch B --partitions N' cuts data.path into N Parquet parts by FNV-1a-64(unique_id) mod N
        (optional, so that each shard reads only its part); --shard i/N --batch B runs the series of shard i and commits a
        shard run under <run.output>/shards/; 'merge --batch B --shards N' then commits one run over all series from the
        shards' files, without the data or the model (docs/deploy.md).

        Run requests: --request <root>/requests/<id>.json runs what a run request names (its config and overrides
        replace --config and --set) and reports to <root>/request-status/<id>.json; the Dashboard writes requests.
        'models' prints the model registry (models, variants, checkpoints) as JSON; every committed run also writes it
        to <run.output>/trainer/models.json, where the Dashboard's start form reads it.

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
        var requestOption = new Option<string?>("--request")
        {
            Description = $"Run a run request: <run output>/requests/<id>.json, a path or an s3:// URI (default: {RequestedRun.Variable}); it replaces --config and --set.",
            Recursive = true,
        };
        var merge = new Command("merge", "Combines the committed shard runs of --batch into one committed run over all series, from their files (no data, no model).") { shardsOption };
        var partitionsOption = new Option<int>("--partitions") { Description = "How many parts to cut the data into: the shard count N of the batch.", Required = true };
        var partition = new Command("partition", "Reads data.path once, streaming, and writes --partitions Parquet parts by FNV-1a-64(unique_id) mod N for the shards of --batch.") { partitionsOption };
        var modelsOutput = new Option<string?>("--output") { Description = $"Also write the catalog to <output>/{RegisteredModels.Key} (a folder or an s3:// URI), as every committed run does." };
        var models = new Command("models", "Prints the registered models with their variants and checkpoints as JSON (what the Dashboard's form offers).") { modelsOutput };
        var root = new RootCommand(Description) { configOption, setOption, shardOption, batchOption, requestOption, partition, merge, models };
        int exitCode = ExitCodes.Ok;
        Func<ParseResult, ShardingRequest, CancellationToken, Task<int>> run = async (parse, sharding, ct) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellationToken);
            string? request = parse.GetValue(requestOption) ?? (Environment.GetEnvironmentVariable(RequestedRun.Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
            exitCode = await RunPipelineAsync(parse.GetValue(configOption), parse.GetValue(setOption) ?? [], sharding, request, output, errors,
                interactive ?? !Console.IsOutputRedirected, platform ?? TrainerPlatform.Local, linked.Token);
            return exitCode;
        };
        root.SetAction((parse, ct) => run(parse, ShardingRequest.FromCommandLine(parse.GetValue(shardOption), parse.GetValue(batchOption), null, Environment.GetEnvironmentVariable), ct));
        merge.SetAction((parse, ct) => run(parse, ShardingRequest.FromCommandLine(null, parse.GetValue(batchOption), parse.GetValue(shardsOption), Environment.GetEnvironmentVariable), ct));
        partition.SetAction((parse, ct) => run(parse, ShardingRequest.FromCommandLine(null, parse.GetValue(batchOption), null, Environment.GetEnvironmentVariable, parse.GetValue(partitionsOption)), ct));
        models.SetAction(async (parse, ct) =>
        {
            exitCode = await PrintModelsAsync(parse.GetValue(modelsOutput), output, errors, platform ?? TrainerPlatform.Local, ct);
            return exitCode;
        });

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

    private static async Task<int> RunPipelineAsync(string? configFlag, string[] overrides, ShardingRequest sharding, string? requestLocation, TextWriter output, TextWriter errors,
        bool interactive, TrainerPlatform platform, CancellationToken cancellationToken)
    {
        var log = new ConsoleRunLog(output, errors, logger: platform.Logger);
        // The invocation's root span: its S3 reads and writes outside the pipeline's "run" belong to the same trace.
        using var activity = TrainerTelemetry.Source.StartActivity("trainer");
        RequestedRun? request = null;
        int Fail(string message, int code)
        {
            log.Error(message);
            request?.FailedAsync(message, code).GetAwaiter().GetResult();
            return code;
        }
        try
        {
            var features = platform.Features;
            string path;
            if (requestLocation is not null)
            {
                request = await RequestedRun.OpenAsync(requestLocation, platform.Locations, log, cancellationToken: cancellationToken);
                activity?.SetTag(TrainerTelemetry.RequestIdTag, request.Request.Id);
                if (configFlag is not null || overrides.Length > 0)
                    log.Info("The run request replaces the command line's --config and --set.");
                path = request.Request.Config;
                overrides = [.. request.Request.Overrides];
                features = request.Features(features);
            }
            else
            {
                path = ConfigLoader.ResolvePath(configFlag);
            }
            log.Info($"Configuration {path}{(overrides.Length > 0 ? " with " + string.Join(" ", overrides.Select(o => "--set " + o)) : "")}");
            var (config, withModel) = await PlatformConfig.LoadAsync(path, overrides, platform.Locations, cancellationToken);
            IRunLog runLog = request is null ? log : request.Log(log);
            config = await FeatureOverrides.ApplyAsync(config, features, withModel, runLog, cancellationToken);
            RunResult result;
            if (sharding.Partition is var (partitionBatch, parts))
            {
                await PartitionStep.RunAsync(config, partitionBatch, parts, platform.Locations, runLog, cancellationToken);
                return ExitCodes.Ok;
            }
            if (sharding.Merge is var (batch, shards))
            {
                result = await MergeRun.RunAsync(config, batch, shards, platform.Locations, runLog, cancellationToken: cancellationToken);
                await PublishCatalogAsync(config.Run.Output, platform, log, cancellationToken);
                if (request is not null) await request.SucceededAsync(result.RunId, final: true);
                log.Info($"Done: {result.Location}");
                return ExitCodes.Ok;
            }
            var (store, variant) = await sharding.PlanAsync(config, platform.Locations, cancellationToken);
            if (interactive)
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes });
                var barLog = new ConsoleRunLog(line => console.WriteLine(line), line => { errors.WriteLine(line); errors.Flush(); }, logger: platform.Logger);
                IRunLog pipelineLog = request is null ? barLog : request.Log(barLog);
                result = await console.Progress().AutoClear(false)
                    .StartAsync(context => new TrainingPipeline(config, pipelineLog, Reported(new SpectreProgress(context), request), store, locations: platform.Locations, variant: variant)
                        .RunAsync(cancellationToken));
            }
            else
            {
                result = await new TrainingPipeline(config, runLog, Reported(new PlainProgress(log), request), store, locations: platform.Locations, variant: variant)
                    .RunAsync(cancellationToken);
            }
            bool shard = variant is ShardRun;
            if (!shard) await PublishCatalogAsync(config.Run.Output, platform, log, cancellationToken);
            if (request is not null) await request.SucceededAsync(result.RunId, final: !shard);
            log.Info($"Done: {result.Location}");
            return ExitCodes.Ok;
        }
        catch (ConfigException e)
        {
            return Fail(e.Message, ExitCodes.ConfigError);
        }
        catch (CheckpointException e)
        {
            // A damaged or mismatched checkpoint fetched from s3:// or the hub (local folders are checked with the config).
            log.Error($"model.chronos.checkpoint: {e.Message}");
            return ExitCodes.ConfigError;
        }
        catch (Exception e) when (e is DataException or SeriesTooShortException or ShardMergeException)
        {
            return Fail(e.Message, ExitCodes.DataError);
        }
        catch (OperationCanceledException)
        {
            return Fail("Cancelled; no run was committed.", ExitCodes.Failure);
        }
        catch (Exception e)
        {
            log.Error($"{e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}");
            request?.FailedAsync($"{e.GetType().Name}: {e.Message}", ExitCodes.Failure).GetAwaiter().GetResult();
            return ExitCodes.Failure;
        }
    }

    private static IProgress<ForecastProgress> Reported(IProgress<ForecastProgress> progress, RequestedRun? request) =>
        request is null ? progress : request.Progress(progress);

    /// <summary>
    /// Writes the model registry to &lt;output&gt;/trainer/models.json after a committed run, where the Dashboard's form
    /// reads it. Best effort: the run is committed whatever happens here.
    /// </summary>
    private static async Task PublishCatalogAsync(string output, TrainerPlatform platform, ConsoleRunLog log, CancellationToken cancellationToken)
    {
        try
        {
            var store = platform.Locations.OpenArtifactStore(output);
            await store.PutAsync(RegisteredModels.Key, ModelRegistry.Default.Describe().ToJson(), cancellationToken);
        }
        catch (Exception e) when (e is ArtifactStoreException or S3StorageException or IOException)
        {
            log.Warn($"The model catalog could not be written to {output}/{RegisteredModels.Key} ({e.Message}); the Dashboard's form offers what it finds there.");
        }
    }

    private static async Task<int> PrintModelsAsync(string? outputRoot, TextWriter output, TextWriter errors, TrainerPlatform platform, CancellationToken cancellationToken)
    {
        var catalog = ModelRegistry.Default.Describe();
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(catalog.ToJson()));
        if (outputRoot is null) return ExitCodes.Ok;
        try
        {
            var store = platform.Locations.OpenArtifactStore(outputRoot);
            await store.PutAsync(RegisteredModels.Key, catalog.ToJson(), cancellationToken);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ArtifactStoreException or S3StorageException or IOException or FormatException)
        {
            await errors.WriteLineAsync($"error: --output {outputRoot}: the catalog cannot be written ({e.Message}).");
            return ExitCodes.ConfigError;
        }
    }
}
