using System.Text.Json.Nodes;

using Amazon.CDK.Assertions;

namespace Forecast.Deploy.Tests;

/// <summary>Amazon.CDK.Assertions on the stack synthesized from the fixture manifest.</summary>
[Collection(SynthesizedStackCollection.Name)]
public class ForecastStackTests(SynthesizedStack stack)
{
    private Template Template => stack.Template;

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void One_private_encrypted_bucket_that_aborts_stale_multipart_uploads()
    {
        Template.ResourceCountIs("AWS::S3::Bucket", 1);
        Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
            {
                ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true,
            },
            ["BucketEncryption"] = Match.ObjectLike(new Dictionary<string, object>()),
            ["LifecycleConfiguration"] = new Dictionary<string, object>
            {
                ["Rules"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["AbortIncompleteMultipartUpload"] = new Dictionary<string, object> { ["DaysAfterInitiation"] = 7 } })]),
            },
        });
    }

    [Fact]
    public void One_immutable_ECR_repository_log_group_and_Fargate_task_per_project()
    {
        foreach (string project in new[] { "trainer", "evaluator", "dashboard" })
        {
            Template.HasResourceProperties("AWS::ECR::Repository", new Dictionary<string, object>
            {
                ["RepositoryName"] = $"forecast/{project}",
                ["ImageTagMutability"] = "IMMUTABLE",
            });
            Template.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object> { ["LogGroupName"] = $"/forecast/{project}", ["RetentionInDays"] = 30 });
        }
        Template.ResourceCountIs("AWS::ECR::Repository", 3);
        Template.ResourceCountIs("AWS::ECS::TaskDefinition", 3);
        Template.ResourceCountIs("AWS::ECS::Cluster", 1);
        Template.ResourceCountIs("AWS::EC2::NatGateway", 0);
    }

    [Theory]
    [InlineData("trainer", "2048", "8192")]
    [InlineData("evaluator", "1024", "4096")]
    [InlineData("dashboard", "512", "1024")]
    public void Task_definitions_are_Fargate_with_their_sizes_awslogs_the_tagged_image_and_a_stop_timeout(string project, string cpu, string memory)
    {
        Template.HasResourceProperties("AWS::ECS::TaskDefinition", new Dictionary<string, object>
        {
            ["Family"] = $"forecast-{project}",
            ["Cpu"] = cpu,
            ["Memory"] = memory,
            ["NetworkMode"] = "awsvpc",
            ["RequiresCompatibilities"] = new[] { "FARGATE" },
            ["ContainerDefinitions"] = new object[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Name"] = project,
                    ["Essential"] = true,
                    ["StopTimeout"] = 120,
                    ["LogConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["LogDriver"] = "awslogs" }),
                }),
            },
        });
        var task = stack.Result.TaskDefinitions[$"forecast-{project}"];
        task["containerDefinitions"]![0]!["image"]!.GetValue<string>().Should().EndWith($".dkr.ecr.us-east-1.amazonaws.com/forecast/{project}:{SynthesizedStack.Tag}");
    }

    private static Dictionary<string, string> EnvironmentOf(JsonObject task) =>
        task["containerDefinitions"]![0]!["environment"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());

    [Fact]
    public void The_local_emulator_its_settings_and_static_keys_are_dropped_and_s3_uris_point_into_the_stack_bucket_prefix()
    {
        var trainer = stack.Result.TaskDefinitions["forecast-trainer"];
        var environment = EnvironmentOf(trainer);
        environment.Keys.Should().NotContain(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "Storage__S3__ServiceUrl", "Storage__S3__EmulatorMode", "Storage__S3__ForcePathStyle"]);
        environment.Should().Contain("FeatureManagement__Plots", "True").And.Contain("AWS_REGION", "us-east-1");
        environment["FeatureManagement__Model__DefaultWhenEnabled"].Should().Be("seasonal_naive", "an Aspire parameter becomes a CloudFormation parameter (here its default)");
        var command = trainer["containerDefinitions"]![0]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        command.Should().HaveCount(6);
        command[1].Should().MatchRegex("^s3://[a-z0-9-]+/forecast/config/default-config.yaml$");
        command[5].Should().MatchRegex("^run.output=s3://[a-z0-9-]+/forecast$");
        stack.Result.Notes.Should().Contain(n => n.Contains("trainer: AWS_SECRET_ACCESS_KEY dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_listens_on_8080_and_service_to_service_urls_are_dropped_with_a_note()
    {
        var dashboard = stack.Result.TaskDefinitions["forecast-dashboard"];
        EnvironmentOf(dashboard).Should().Contain("HTTP_PORTS", "8080").And.NotContainKey("services__evaluator__http__0");
        dashboard["containerDefinitions"]![0]!["portMappings"]![0]!["containerPort"]!.GetValue<int>().Should().Be(8080);
        stack.Result.Notes.Should().Contain(n => n.Contains("services__evaluator__http__0 dropped", StringComparison.Ordinal) && n.Contains("load balancer", StringComparison.Ordinal));
    }

    [Fact]
    public void Aspire_parameters_used_by_projects_become_CloudFormation_parameters_secret_ones_NoEcho()
    {
        Template.HasParameter("DashboardPassword", new Dictionary<string, object> { ["Type"] = "String", ["NoEcho"] = true });
        Template.HasParameter("ModelName", new Dictionary<string, object> { ["Type"] = "String", ["Default"] = "seasonal_naive" });
        Template.FindParameters("LocalstackAuthToken").Should().BeEmpty("only the local emulator uses it");
        Template.FindParameters("BootstrapVersion").Should().BeEmpty("the stack has no assets, so no bootstrap is needed");
    }

    [Fact]
    public void The_task_role_may_touch_only_the_prefix_of_the_bucket()
    {
        var policies = Template.FindResources("AWS::IAM::Policy");
        var taskPolicy = policies.Values.Select(p => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(p))!)
            .Single(p => p["Properties"]!["Roles"]!.ToJsonString().Contains("TaskRole", StringComparison.Ordinal));
        var statements = taskPolicy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        statements.Should().HaveCount(2);
        string text = statements.ToJsonString();
        text.Should().NotContain("s3:*").And.NotContain("\"*\"");
        text.Should().Contain("\"/forecast/*\"", "objects only under <bucket>/forecast/");
        text.Should().Contain("\"s3:prefix\":[\"forecast\",\"forecast/*\"]", "listing only under the prefix");
    }

    [Fact]
    public void The_execution_role_pulls_the_images_and_writes_the_logs()
    {
        string policies = System.Text.Json.JsonSerializer.Serialize(Template.FindResources("AWS::IAM::Policy"));
        policies.Should().Contain("ecr:BatchGetImage").And.Contain("ecr:GetAuthorizationToken").And.Contain("logs:PutLogEvents");
    }

    [Fact]
    public void The_state_machine_maps_shard_tasks_then_merges_and_a_schedule_starts_it()
    {
        Template.ResourceCountIs("AWS::StepFunctions::StateMachine", 1);
        var definition = stack.StateMachineDefinition();
        var states = definition["States"]!.AsObject();
        definition["StartAt"]!.GetValue<string>().Should().Be("ListShards");
        states["ListShards"]!["Result"]!.ToJsonString().Should().Be("[0,1,2]");
        states["ListShards"]!["Next"]!.GetValue<string>().Should().Be("TrainShards");

        var map = states["TrainShards"]!;
        map["Type"]!.GetValue<string>().Should().Be("Map");
        map["ItemProcessor"]!["ProcessorConfig"]!.ToJsonString().Should().Be("""{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}""");
        map["ItemSelector"]!.ToJsonString().Should().Be("""{"index.$":"$$.Map.Item.Value","batch.$":"$$.Execution.Name"}""", "the batch is the parent execution's name");
        map["MaxConcurrency"]!.GetValue<int>().Should().Be(3);
        map["Next"]!.GetValue<string>().Should().Be("MergeShards");

        var shard = map["ItemProcessor"]!["States"]!["TrainShard"]!;
        shard["Resource"]!.GetValue<string>().Should().Be("arn:aws:states:::ecs:runTask.sync", "the map waits for each task to stop");
        shard["ResultSelector"]!.ToJsonString().Should().Be("""{"exitCode.$":"$.Containers[0].ExitCode"}""");
        shard["Next"]!.GetValue<string>().Should().Be("ShardExitedZero", "a stopped task is not a success by itself: the Trainer's exit code is checked");
        var check = map["ItemProcessor"]!["States"]!["ShardExitedZero"]!;
        check["Choices"]![0]!.ToJsonString().Should().Be("""{"Variable":"$.trainer.exitCode","NumericEquals":0,"Next":"ShardSucceeded"}""");
        check["Default"]!.GetValue<string>().Should().Be("ShardFailed");
        shard["Retry"]![0]!["ErrorEquals"]!.ToJsonString().Should().Contain("States.TaskFailed");
        shard["Parameters"]!["LaunchType"]!.GetValue<string>().Should().Be("FARGATE");
        shard["Parameters"]!["TaskDefinition"]!.GetValue<string>().Should().Be("forecast-trainer");
        var shardOverride = shard["Parameters"]!["Overrides"]!["ContainerOverrides"]![0]!;
        shardOverride["Name"]!.GetValue<string>().Should().Be("trainer");
        shardOverride["Environment"]!.ToJsonString(Relaxed).Should().Be("""[{"Name":"FORECAST_SHARD","Value.$":"States.Format('{}/3', $.index)"},{"Name":"FORECAST_BATCH","Value.$":"$.batch"}]""");
        shardOverride["Command"].Should().BeNull("each shard runs the task definition's own command");

        var merge = states["MergeShards"]!["Parameters"]!["Overrides"]!["ContainerOverrides"]![0]!;
        var command = merge["Command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        command[0].Should().Be("merge");
        command[1..^2].Should().Equal(stack.Result.TaskDefinitions["forecast-trainer"]["containerDefinitions"]![0]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        command[^2..].Should().Equal("--shards", "3");
        merge["Environment"]!.ToJsonString().Should().Be("""[{"Name":"FORECAST_BATCH","Value.$":"$$.Execution.Name"}]""");
        states["MergeShards"]!["Next"]!.GetValue<string>().Should().Be("MergeExitedZero");
        states["MergeFailed"]!["Type"]!.GetValue<string>().Should().Be("Fail");

        Template.HasResourceProperties("AWS::Events::Rule", new Dictionary<string, object> { ["ScheduleExpression"] = "cron(0 2 * * ? *)", ["State"] = "ENABLED" });
    }

    [Fact]
    public void The_stack_is_environment_agnostic()
    {
        stack.Json.Should().NotMatchRegex("\\b\\d{12}\\b", "no account id is baked in");
        stack.Json.Should().Contain("{\"Ref\":\"AWS::Region\"}");
        Directory.GetFiles(Path.Combine(stack.Folder, "cdk.out")).Select(Path.GetFileName).Should().NotContain("cdk.context.json", "no lookup was made");
    }

    [Fact]
    public void The_template_and_one_JSON_per_task_definition_are_written_to_the_output_folder()
    {
        File.Exists(Path.Combine(stack.Folder, "Forecast.template.json")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(stack.Folder, "task-definitions")).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["forecast-trainer.json", "forecast-evaluator.json", "forecast-dashboard.json"]);
    }
}
