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

    /// <summary>The statements of the one IAM policy attached to the role whose logical id starts with <paramref name="roleId"/>.</summary>
    private JsonArray StatementsOf(string roleId)
    {
        var policy = Template.FindResources("AWS::IAM::Policy").Values
            .Select(p => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(p))!)
            .Where(p => p["Properties"]!["Roles"]!.AsArray().Any(r => r!["Ref"]!.GetValue<string>().StartsWith(roleId, StringComparison.Ordinal)))
            .Should().ContainSingle($"one policy for {roleId}").Subject;
        return policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
    }

    private static Dictionary<string, (string[] Actions, string Resources)> BySid(JsonArray statements) =>
        statements.ToDictionary(
            s => s!["Sid"]!.GetValue<string>(),
            s => (s!["Action"] is JsonArray many ? many.Select(a => a!.GetValue<string>()).ToArray() : [s["Action"]!.GetValue<string>()], s["Resource"]!.ToJsonString()));

    [Fact]
    public void Each_service_has_its_own_task_role_the_trainer_reads_and_writes_the_others_only_read_the_prefix()
    {
        var roles = Template.FindResources("AWS::IAM::Role").Keys.ToList();
        foreach (string project in new[] { "Trainer", "Evaluator", "Dashboard" })
        {
            roles.Should().ContainSingle(r => r.StartsWith($"{project}TaskRole", StringComparison.Ordinal));
            Template.HasResourceProperties("AWS::ECS::TaskDefinition", new Dictionary<string, object>
            {
                ["Family"] = $"forecast-{project.ToLowerInvariant()}",
                ["TaskRoleArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { Match.StringLikeRegexp($"^{project}TaskRole"), "Arn" } },
                ["ExecutionRoleArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { Match.StringLikeRegexp($"^{project}ExecutionRole"), "Arn" } },
            });
            string text = StatementsOf($"{project}TaskRole").ToJsonString();
            text.Should().NotContain("s3:*").And.NotContain("\"*\"");
            text.Should().Contain("\"s3:prefix\":[\"forecast\",\"forecast/*\"]", "listing only under the prefix");
        }

        var trainer = BySid(StatementsOf("TrainerTaskRole"));
        trainer.Keys.Should().BeEquivalentTo(["ListThePrefix", "ObjectsUnderThePrefix"]);
        trainer["ObjectsUnderThePrefix"].Actions.Should().Contain(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
        trainer["ObjectsUnderThePrefix"].Resources.Should().Contain("\"/forecast/*\"");

        var evaluator = BySid(StatementsOf("EvaluatorTaskRole"));
        evaluator.Keys.Should().BeEquivalentTo(["ListThePrefix", "ReadUnderThePrefix"], "the Evaluator only reads");
        evaluator["ReadUnderThePrefix"].Actions.Should().Equal("s3:GetObject");

        var dashboard = BySid(StatementsOf("DashboardTaskRole"));
        dashboard.Keys.Should().BeEquivalentTo(["ListThePrefix", "ReadUnderThePrefix", "WriteRunRequests"], "the Dashboard reads, and writes run requests (Trainer__Launch=Request)");
        dashboard["ReadUnderThePrefix"].Actions.Should().Equal("s3:GetObject");
        dashboard["WriteRunRequests"].Actions.Should().Equal("s3:PutObject");
        dashboard["WriteRunRequests"].Resources.Should().Contain("\"/forecast/requests/*\"").And.NotContain("\"/forecast/*\"");
        string readers = StatementsOf("EvaluatorTaskRole").ToJsonString() + StatementsOf("DashboardTaskRole").ToJsonString();
        readers.Should().NotContain("s3:DeleteObject");
    }

    [Fact]
    public void Each_repository_has_its_own_execution_role_that_pulls_only_it_and_writes_only_its_logs()
    {
        foreach (string project in new[] { "Trainer", "Evaluator", "Dashboard" })
        {
            var statements = StatementsOf($"{project}ExecutionRole");
            string text = statements.ToJsonString();
            text.Should().Contain("ecr:BatchGetImage").And.Contain("logs:PutLogEvents").And.Contain("ecr:GetAuthorizationToken");
            text.Should().Contain($"\"{project}Repository").And.Contain($"\"{project}Logs");
            foreach (string other in new[] { "Trainer", "Evaluator", "Dashboard" }.Where(o => o != project))
                text.Should().NotContain($"\"{other}Repository").And.NotContain($"\"{other}Logs", $"the {project} execution role pulls only forecast/{project.ToLowerInvariant()}");
        }
        Template.FindResources("AWS::IAM::Role").Keys.Should().NotContain(r => r.StartsWith("TaskRole", StringComparison.Ordinal) || r.StartsWith("ExecutionRole", StringComparison.Ordinal), "no role is shared");
    }

    [Fact]
    public void A_run_request_written_to_the_bucket_starts_the_state_machine_with_its_uri()
    {
        Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["NotificationConfiguration"] = new Dictionary<string, object> { ["EventBridgeConfiguration"] = new Dictionary<string, object> { ["EventBridgeEnabled"] = true } },
        });
        Template.ResourceCountIs("AWS::Lambda::Function", 0);

        var rule = Template.FindResources("AWS::Events::Rule").Values
            .Select(r => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(r))!["Properties"]!)
            .Should().ContainSingle(r => r["EventPattern"] != null).Subject;
        var pattern = rule["EventPattern"]!;
        pattern["source"]!.ToJsonString().Should().Be("""["aws.s3"]""");
        pattern["detail-type"]!.ToJsonString().Should().Be("""["Object Created"]""");
        pattern["detail"]!["bucket"]!["name"]![0]!.ToJsonString().Should().Contain("\"Ref\":\"Data");
        pattern["detail"]!["object"]!["key"]!.ToJsonString().Should().Be("""[{"prefix":"forecast/requests/"}]""", "only requests, not their statuses or the runs");

        var target = rule["Targets"]!.AsArray().Should().ContainSingle().Subject!;
        target["Arn"]!.ToJsonString().Should().Contain("TrainingJobStateMachine");
        var transformer = target["InputTransformer"]!;
        transformer["InputPathsMap"]!.ToJsonString().Should().Contain("\"$.detail.bucket.name\"").And.Contain("\"$.detail.object.key\"");
        transformer["InputTemplate"]!.GetValue<string>().Should().MatchRegex("""^\{"request":"s3://<[^>]+>/<[^>]+>"\}$""");
        // EventBridge may start it: the rule's role allows states:StartExecution on the state machine.
        string policies = System.Text.Json.JsonSerializer.Serialize(Template.FindResources("AWS::IAM::Policy"));
        policies.Should().Contain("states:StartExecution");
    }

    [Fact]
    public void The_state_machine_partitions_then_maps_shard_tasks_then_merges_and_a_schedule_starts_it()
    {
        Template.ResourceCountIs("AWS::StepFunctions::StateMachine", 1);
        var definition = stack.StateMachineDefinition();
        var states = definition["States"]!.AsObject();
        definition["StartAt"]!.GetValue<string>().Should().Be("HasRunRequest");
        var choice = states["HasRunRequest"]!;
        choice["Choices"]![0]!.ToJsonString().Should().Be("""{"Variable":"$.request","IsPresent":true,"Next":"RunRequested"}""");
        choice["Default"]!.GetValue<string>().Should().Be("NoRunRequest");
        states["NoRunRequest"]!["Result"]!.GetValue<string>().Should().Be("", "a scheduled or manual start runs the task definition's command");
        states["NoRunRequest"]!["ResultPath"]!.GetValue<string>().Should().Be("$.request");
        states["RunRequested"]!["Next"]!.GetValue<string>().Should().Be("PartitionInput");
        states["NoRunRequest"]!["Next"]!.GetValue<string>().Should().Be("PartitionInput");
        var partition = states["PartitionInput"]!;
        partition["Resource"]!.GetValue<string>().Should().Be("arn:aws:states:::ecs:runTask.sync");
        partition["Retry"]![0]!["ErrorEquals"]!.ToJsonString().Should().Contain("States.TaskFailed");
        var partitionOverride = partition["Parameters"]!["Overrides"]!["ContainerOverrides"]![0]!;
        var partitionCommand = partitionOverride["Command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        partitionCommand[0].Should().Be("partition");
        partitionCommand[^2..].Should().Equal("--partitions", "3");
        partitionOverride["Environment"]!.ToJsonString().Should().Be("""[{"Name":"FORECAST_BATCH","Value.$":"$$.Execution.Name"},{"Name":"FORECAST_REQUEST","Value.$":"$.request"}]""",
            "the shards find their parts by the batch, the execution's name; a run request's config is the one partitioned");
        partition["Next"]!.GetValue<string>().Should().Be("PartitionExitedZero");
        states["PartitionExitedZero"]!["Choices"]![0]!.ToJsonString().Should().Be("""{"Variable":"$.trainer.exitCode","NumericEquals":0,"Next":"ListShards"}""");
        states["PartitionExitedZero"]!["Default"]!.GetValue<string>().Should().Be("PartitionFailed");
        states["ListShards"]!["Result"]!.ToJsonString().Should().Be("[0,1,2]");
        states["ListShards"]!["Next"]!.GetValue<string>().Should().Be("TrainShards");

        var map = states["TrainShards"]!;
        map["Type"]!.GetValue<string>().Should().Be("Map");
        map["ItemProcessor"]!["ProcessorConfig"]!.ToJsonString().Should().Be("""{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}""");
        map["ItemSelector"]!.ToJsonString().Should().Be("""{"index.$":"$$.Map.Item.Value","batch.$":"$$.Execution.Name","request.$":"$.request"}""", "the batch is the parent execution's name");
        map["MaxConcurrency"]!.GetValue<int>().Should().Be(2, "--max-concurrency");
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
        shardOverride["Environment"]!.ToJsonString(Relaxed).Should().Be("""[{"Name":"FORECAST_SHARD","Value.$":"States.Format('{}/3', $.index)"},{"Name":"FORECAST_BATCH","Value.$":"$.batch"},{"Name":"FORECAST_REQUEST","Value.$":"$.request"}]""");
        shardOverride["Command"].Should().BeNull("each shard runs the task definition's own command");

        var merge = states["MergeShards"]!["Parameters"]!["Overrides"]!["ContainerOverrides"]![0]!;
        var command = merge["Command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        command[0].Should().Be("merge");
        command[1..^2].Should().Equal(stack.Result.TaskDefinitions["forecast-trainer"]["containerDefinitions"]![0]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        command[^2..].Should().Equal("--shards", "3");
        merge["Environment"]!.ToJsonString().Should().Be("""[{"Name":"FORECAST_BATCH","Value.$":"$$.Execution.Name"},{"Name":"FORECAST_REQUEST","Value.$":"$.request"}]""");
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
