using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Constructs;
using Forecast.Deploy.Manifest;
using EcsCluster = Amazon.CDK.AWS.ECS.Cluster;

namespace Forecast.Deploy.Stacks;

/// <summary>
/// The whole deployment, from aspire-manifest.json: one S3 bucket, one ECR repository, log group and Fargate task
/// definition per project, each with its own task role and execution role, an ECS cluster in a small VPC, the sharded
/// Trainer job (<see cref="ShardedTrainingJob"/>) with its optional schedule, and the rule that starts it on every run
/// request written to the bucket (<see cref="RunRequestTrigger"/>). Environment-agnostic (no account or region, no
/// lookups), so synthesis never calls AWS; the region and account come from where the template is deployed.
/// </summary>
public sealed class ForecastStack : Stack
{
    public ForecastStack(Construct scope, AspireManifest manifest, DeploySettings settings)
        : base(scope, settings.StackName, new StackProps
        {
            Description = "Forecast: Trainer/Evaluator/Dashboard on ECS Fargate, generated from aspire-manifest.json by deploy/Forecast.Deploy",
            // The default synthesizer needs `cdk bootstrap` resources only for assets; this stack has none, so the
            // legacy synthesizer keeps the template free of bootstrap-version parameters and rules.
            Synthesizer = new LegacyStackSynthesizer(),
        })
    {
        settings.Validate();
        var projects = manifest.Projects.ToList();
        if (projects.Count == 0)
            throw new DeployException($"{manifest.Source}: no project resources (project.v0/v1); there is nothing to deploy.");
        if (!projects.Any(p => p.Name == settings.TrainerResource))
            throw new DeployException($"{manifest.Source}: no project named '{settings.TrainerResource}' for the sharded job; its projects are {string.Join(", ", projects.Select(p => p.Name))} (set --trainer <name>).");
        foreach (var project in projects) settings.SizeOf(project.Name).Validate($"project '{project.Name}' (--size {project.Name}=cpu/memory)");

        Bucket = new Bucket(this, "Data", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            // Aborted multipart uploads (a task killed mid-upload) would otherwise be billed forever.
            LifecycleRules = [new Amazon.CDK.AWS.S3.LifecycleRule { AbortIncompleteMultipartUploadAfter = Duration.Days(7) }],
        });
        // Object events to EventBridge, where RunRequestTrigger's rule picks up run requests. Set on the CloudFormation
        // bucket itself: BucketProps.EventBridgeEnabled would add a Lambda-backed custom resource for the same switch.
        ((CfnBucket)Bucket.Node.DefaultChild!).NotificationConfiguration = new CfnBucket.NotificationConfigurationProperty
        {
            EventBridgeConfiguration = new CfnBucket.EventBridgeConfigurationProperty { EventBridgeEnabled = true },
        };

        // Public subnets and no NAT gateway: tasks pull from ECR and talk to S3 over public IPs (a NAT gateway costs
        // more per month than a nightly job); S3 traffic stays on the free gateway endpoint.
        var vpc = new Vpc(this, "Network", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 }],
            GatewayEndpoints = new Dictionary<string, IGatewayVpcEndpointOptions> { ["S3"] = new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3 } },
        });
        Cluster = new EcsCluster(this, "Cluster", new ClusterProps { Vpc = vpc, ContainerInsights = false });
        TaskSecurityGroup = new SecurityGroup(this, "TaskSecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = "Forecast tasks: outbound only (ECR, S3, CloudWatch Logs)",
            AllowAllOutbound = true,
        });

        var parameters = new Dictionary<string, CfnParameter>(StringComparer.Ordinal);
        Translation = new ProjectEnvironment(manifest, settings, Bucket.BucketName, resource =>
        {
            if (!parameters.TryGetValue(resource.Name, out var parameter))
            {
                parameter = new CfnParameter(this, ParameterId(resource.Name), new CfnParameterProps
                {
                    Type = "String",
                    NoEcho = resource.Input?.Secret ?? false,
                    Default = resource.Input?.Default,
                    Description = $"Aspire parameter '{resource.Name}' of aspire-manifest.json",
                });
                parameters[resource.Name] = parameter;
            }
            return parameter.ValueAsString;
        });

        foreach (var project in projects)
            TaskDefinitions[project.Name] = AddProject(project, settings);

        Job = new ShardedTrainingJob(this, "TrainingJob", this, settings, manifest.Projects.Single(p => p.Name == settings.TrainerResource));
        Requests = new RunRequestTrigger(this, "RunRequests", Bucket, settings.BucketPrefix, Job.StateMachine);

        _ = new CfnOutput(this, "BucketName", new CfnOutputProps { Value = Bucket.BucketName, Description = "Upload config and data under s3://<this>/" + settings.BucketPrefix + "/" });
        _ = new CfnOutput(this, "ClusterName", new CfnOutputProps { Value = Cluster.ClusterName });
        _ = new CfnOutput(this, "StateMachineArn", new CfnOutputProps { Value = Job.StateMachine.StateMachineArn, Description = "aws stepfunctions start-execution --state-machine-arn <this>" });
        foreach (var (name, repository) in Repositories)
            _ = new CfnOutput(this, $"{ParameterId(name)}RepositoryUri", new CfnOutputProps { Value = repository.RepositoryUri, Description = $"docker push <this>:{settings.ImageTag}" });
    }

    public Bucket Bucket { get; }

    public EcsCluster Cluster { get; }

    public SecurityGroup TaskSecurityGroup { get; }

    /// <summary>Each project's task role: its own S3 access (<see cref="BucketAccess"/>), nothing shared.</summary>
    public Dictionary<string, Role> TaskRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>Each project's execution role: pulls its own repository and writes its own log group only.</summary>
    public Dictionary<string, Role> ExecutionRoles { get; } = new(StringComparer.Ordinal);

    public RunRequestTrigger Requests { get; }

    public ProjectEnvironment Translation { get; }

    public Dictionary<string, FargateTaskDefinition> TaskDefinitions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Repository> Repositories { get; } = new(StringComparer.Ordinal);

    public ShardedTrainingJob Job { get; }

    /// <summary>The container name of every task definition (RunTask overrides name it).</summary>
    public static string ContainerName(string project) => project;

    private FargateTaskDefinition AddProject(ManifestResource project, DeploySettings settings)
    {
        string id = ParameterId(project.Name);
        var size = settings.SizeOf(project.Name);
        var repository = new Repository(this, $"{id}Repository", new RepositoryProps
        {
            RepositoryName = $"forecast/{project.Name}",
            ImageScanOnPush = true,
            ImageTagMutability = TagMutability.IMMUTABLE, // a tag names one build forever, so a scheduled run is reproducible
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules = [new Amazon.CDK.AWS.ECR.LifecycleRule { MaxImageCount = 30, Description = "keep the last 30 images" }],
        });
        Repositories[project.Name] = repository;

        var logGroup = new LogGroup(this, $"{id}Logs", new LogGroupProps
        {
            LogGroupName = $"/forecast/{project.Name}",
            Retention = (RetentionDays)Enum.Parse(typeof(RetentionDays), RetentionName(settings.LogRetentionDays)),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var level = BucketAccess.LevelOf(project, settings);
        bool writesRequests = BucketAccess.WritesRunRequests(project);
        var taskRole = new Role(this, $"{id}TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = $"Forecast {project.Name} tasks: {(level == BucketAccessLevel.ReadWrite ? "read and write" : "read")} s3://<bucket>/{settings.BucketPrefix}/ only"
                + (writesRequests ? $", and write run requests under {settings.BucketPrefix}/{BucketAccess.RequestsFolder}/" : ""),
        });
        BucketAccess.Grant(taskRole, Bucket, settings.BucketPrefix, level, writesRequests);
        TaskRoles[project.Name] = taskRole;
        // Granted by CDK as the image and the log driver are attached below: pull from this repository, write to this log group.
        var executionRole = new Role(this, $"{id}ExecutionRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = $"ECS agent for {project.Name}: pull forecast/{project.Name} and write /forecast/{project.Name}",
        });
        ExecutionRoles[project.Name] = executionRole;

        var task = new FargateTaskDefinition(this, $"{id}Task", new FargateTaskDefinitionProps
        {
            Family = $"forecast-{project.Name}",
            Cpu = size.Cpu,
            MemoryLimitMiB = size.MemoryMiB,
            TaskRole = taskRole,
            ExecutionRole = executionRole,
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
        });
        var environment = Translation.Environment(project);
        var container = task.AddContainer(ContainerName(project.Name), new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromEcrRepository(repository, settings.ImageTag),
            Command = project.Args.Count > 0 ? Translation.Arguments(project) : null,
            Environment = environment,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logGroup, StreamPrefix = project.Name }),
            StopTimeout = Duration.Seconds(settings.StopTimeoutSeconds),
            Essential = true,
        });
        foreach (var binding in project.Bindings.Where(b => b.Scheme is "http" or "https").Take(1))
            container.AddPortMappings(new PortMapping { ContainerPort = ProjectEnvironment.ContainerPort, Name = binding.Name });
        return task;
    }

    /// <summary>A CloudFormation logical id from a manifest name: "localstack-auth-token" → "LocalstackAuthToken".</summary>
    public static string ParameterId(string name) =>
        string.Concat(name.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string RetentionName(int days) => days switch
    {
        1 => "ONE_DAY", 3 => "THREE_DAYS", 5 => "FIVE_DAYS", 7 => "ONE_WEEK", 14 => "TWO_WEEKS", 30 => "ONE_MONTH",
        60 => "TWO_MONTHS", 90 => "THREE_MONTHS", 180 => "SIX_MONTHS", 365 => "ONE_YEAR",
        _ => throw new DeployException($"--log-retention-days: {days} is not a CloudWatch Logs retention; use 1, 3, 5, 7, 14, 30, 60, 90, 180 or 365."),
    };
}
