using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;
using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Stacks;

/// <summary>
/// The Trainer as a sharded job: a Step Functions state machine that first runs one Fargate task with
/// <c>partition --partitions N</c> (the input read once and cut into N Parquet parts by the shards' hash), then a
/// Distributed Map of one task per shard (ecs:runTask.sync, environment overrides FORECAST_SHARD=i/N and
/// FORECAST_BATCH=&lt;execution name&gt;; each shard reads only its part), at most
/// <see cref="DeploySettings.MaxConcurrency"/> at a time, and once every shard has committed one more task with
/// <c>merge --shards N</c>. Each task is retried when ECS cannot run it and fails the execution when the Trainer exits
/// non-zero. An optional EventBridge rule starts it on a schedule; <see cref="RunRequestTrigger"/> starts it on each
/// run request, with the input <c>{"request": "s3://…/requests/&lt;id&gt;.json"}</c>, passed to every task as
/// FORECAST_REQUEST (the Trainer then runs the request's config instead of the task definition's; empty for a
/// scheduled or manual start).
/// </summary>
/// <remarks>
/// Why Step Functions and not bare RunTask calls: RunTask only starts tasks; something must wait for all N, retry the
/// failed ones and then run the merge. A Distributed Map does exactly that on an AWS engine (up to 10,000 parallel
/// children, so up to <see cref="Forecast.Deploy.DeploySettings.Shards"/> = 10,000), and its executions are visible
/// and restartable in the console. Children are STANDARD workflows because the .sync ECS integration is not available
/// to EXPRESS ones. The batch id is the parent execution's name, unique per state machine, passed down through the
/// ItemSelector ($$.Execution.Name inside a child would be the child's own name).
/// </remarks>
public sealed class ShardedTrainingJob : Construct
{
    public const string ShardVariable = "FORECAST_SHARD";
    public const string BatchVariable = "FORECAST_BATCH";
    public const string RequestVariable = "FORECAST_REQUEST";

    public ShardedTrainingJob(Construct scope, string id, ForecastStack stack, DeploySettings settings, ManifestResource trainer)
        : base(scope, id)
    {
        var taskDefinition = stack.TaskDefinitions[trainer.Name];
        var container = taskDefinition.DefaultContainer!;
        int shards = settings.Shards;

        EcsRunTask RunTrainer(string name, ContainerOverride overrides) => new(this, name, new EcsRunTaskProps
        {
            IntegrationPattern = IntegrationPattern.RUN_JOB,
            Cluster = stack.Cluster,
            TaskDefinition = taskDefinition,
            LaunchTarget = new EcsFargateLaunchTarget(new EcsFargateLaunchTargetOptions { PlatformVersion = FargatePlatformVersion.LATEST }),
            AssignPublicIp = true, // public subnets without NAT: the task reaches ECR and S3 itself
            Subnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            SecurityGroups = [stack.TaskSecurityGroup],
            ContainerOverrides = [overrides],
            // The task's result keeps only the Trainer's exit code, checked by the Choice after it: an ECS task that
            // stops is not by itself a failure for Step Functions, whatever its container returned.
            ResultSelector = new Dictionary<string, object> { ["exitCode"] = JsonPath.NumberAt("$.Containers[0].ExitCode") },
            ResultPath = "$.trainer",
        });

        IChainable ExitedZero(string name, string what, IChainable? then = null) => new Choice(this, $"{name}ExitedZero")
            .When(Condition.NumberEquals("$.trainer.exitCode", 0), then ?? new Succeed(this, $"{name}Succeeded"))
            .Otherwise(new Fail(this, $"{name}Failed", new FailProps
            {
                Error = $"{name}Failed",
                Cause = $"The Trainer ({what}) exited with a non-zero code (2 config, 3 data, 1 other); see the log group /forecast/{trainer.Name}.",
            }));

        // A start without a request (the schedule, `aws stepfunctions start-execution` with no input) runs the task
        // definition's command: FORECAST_REQUEST is then empty, which the Trainer treats as unset.
        string request = $"$.{RunRequestTrigger.InputField}";
        var requested = new Pass(this, "RunRequested", new PassProps { Comment = "Started on a run request: its s3:// URI goes to every task" });
        var unrequested = new Pass(this, "NoRunRequest", new PassProps
        {
            Comment = "Started without a run request: the task definition's command runs",
            Result = Result.FromString(""),
            ResultPath = request,
        });
        var start = new Choice(this, "HasRunRequest")
            .When(Condition.IsPresent(request), requested)
            .Otherwise(unrequested);

        string count = shards.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var partition = RunTrainer("PartitionInput", new ContainerOverride
        {
            ContainerDefinition = container,
            Command = ["partition", .. stack.Translation.Arguments(trainer), "--partitions", count],
            Environment =
            [
                new TaskEnvironmentVariable { Name = BatchVariable, Value = JsonPath.StringAt("$$.Execution.Name") },
                new TaskEnvironmentVariable { Name = RequestVariable, Value = JsonPath.StringAt(request) },
            ],
        });
        // A failed partition step wrote no manifest (it is written last), so running it again is safe.
        partition.AddRetry(new RetryProps { Errors = ["States.TaskFailed", "ECS.AmazonECSException"], MaxAttempts = 2, Interval = Duration.Minutes(1), BackoffRate = 2 });

        var listShards = new Pass(this, "ListShards", new PassProps
        {
            Comment = $"The shard indices 0..{shards - 1}",
            Result = Result.FromArray([.. Enumerable.Range(0, shards).Cast<object>()]),
            ResultPath = "$.shards",
        });

        var trainShard = RunTrainer("TrainShard", new ContainerOverride
        {
            ContainerDefinition = container,
            Environment =
            [
                new TaskEnvironmentVariable { Name = ShardVariable, Value = JsonPath.Format($"{{}}/{shards}", JsonPath.StringAt("$.index")) },
                new TaskEnvironmentVariable { Name = BatchVariable, Value = JsonPath.StringAt("$.batch") },
                new TaskEnvironmentVariable { Name = RequestVariable, Value = JsonPath.StringAt("$.request") },
            ],
        });
        // A shard that failed left no committed run (the Trainer aborts), so running it again is safe.
        trainShard.AddRetry(new RetryProps { Errors = ["States.TaskFailed", "ECS.AmazonECSException"], MaxAttempts = 2, Interval = Duration.Minutes(1), BackoffRate = 2 });

        var map = new DistributedMap(this, "TrainShards", new DistributedMapProps
        {
            ItemsPath = "$.shards",
            ItemSelector = new Dictionary<string, object>
            {
                ["index"] = JsonPath.StringAt("$$.Map.Item.Value"),
                ["batch"] = JsonPath.StringAt("$$.Execution.Name"),
                ["request"] = JsonPath.StringAt(request),
            },
            MaxConcurrency = settings.MaxConcurrency ?? shards,
            MapExecutionType = StateMachineType.STANDARD,
            ResultPath = JsonPath.DISCARD,
        });
        map.ItemProcessor(trainShard.Next(ExitedZero("Shard", "a shard")));

        var merge = RunTrainer("MergeShards", new ContainerOverride
        {
            ContainerDefinition = container,
            Command = ["merge", .. stack.Translation.Arguments(trainer), "--shards", count],
            Environment =
            [
                new TaskEnvironmentVariable { Name = BatchVariable, Value = JsonPath.StringAt("$$.Execution.Name") },
                new TaskEnvironmentVariable { Name = RequestVariable, Value = JsonPath.StringAt(request) },
            ],
        });

        partition.Next(ExitedZero("Partition", "the partition step", listShards));
        listShards.Next(map).Next(merge).Next(ExitedZero("Merge", "the merge"));
        requested.Next(partition);
        unrequested.Next(partition);

        StateMachine = new StateMachine(this, "StateMachine", new StateMachineProps
        {
            StateMachineName = $"{settings.StackName.ToLowerInvariant()}-training",
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromChainable(start),
            Timeout = Duration.Hours(24),
            Comment = $"Forecast Trainer: partition into {shards} part(s), {shards} shard task(s) in a Distributed Map, then merge",
        });

        if (settings.Schedule is not null)
        {
            Schedule = new Rule(this, "Schedule", new RuleProps
            {
                Description = "Starts the Forecast training job",
                Schedule = Amazon.CDK.AWS.Events.Schedule.Expression(settings.Schedule),
                Targets = [new Amazon.CDK.AWS.Events.Targets.SfnStateMachine(StateMachine)],
            });
        }
    }

    public StateMachine StateMachine { get; }

    public Rule? Schedule { get; }
}
