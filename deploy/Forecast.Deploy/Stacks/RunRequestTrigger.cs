using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Forecast.Deploy.Stacks;

/// <summary>
/// "Start a run" in the cloud without an ECS or Step Functions client in the Dashboard: the Dashboard writes a run
/// request to s3://&lt;bucket&gt;/&lt;prefix&gt;/requests/&lt;id&gt;.json (as it does locally), the bucket sends its
/// object-created events to EventBridge, and this rule starts the Trainer's state machine with
/// <c>{"request": "s3://&lt;bucket&gt;/&lt;key&gt;"}</c>. Every Trainer task of that execution gets FORECAST_REQUEST, so it
/// runs the request's config and overrides and reports to request-status/&lt;id&gt;.json, where the Dashboard reads the
/// status: the same Trainer code path as a local Dashboard's <c>--request</c> process.
/// </summary>
public sealed class RunRequestTrigger : Construct
{
    /// <summary>The state machine input field that carries the request's s3:// URI.</summary>
    public const string InputField = "request";

    public RunRequestTrigger(Construct scope, string id, Bucket bucket, string prefix, StateMachine stateMachine)
        : base(scope, id)
    {
        KeyPrefix = $"{prefix}/{BucketAccess.RequestsFolder}/";
        Rule = new Rule(this, "Rule", new RuleProps
        {
            Description = $"Starts the Forecast training job on each run request written under {KeyPrefix}",
            EventPattern = new EventPattern
            {
                Source = ["aws.s3"],
                DetailType = ["Object Created"],
                Detail = new Dictionary<string, object>
                {
                    ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { bucket.BucketName } },
                    // request-status/ and the runs do not match: only new requests start executions.
                    ["object"] = new Dictionary<string, object> { ["key"] = new object[] { new Dictionary<string, object> { ["prefix"] = KeyPrefix } } },
                },
            },
            Targets =
            [
                new SfnStateMachine(stateMachine, new SfnStateMachineProps
                {
                    Input = RuleTargetInput.FromObject(new Dictionary<string, object>
                    {
                        [InputField] = $"s3://{EventField.FromPath("$.detail.bucket.name")}/{EventField.FromPath("$.detail.object.key")}",
                    }),
                }),
            ],
        });
    }

    /// <summary>&lt;prefix&gt;/requests/: the keys whose creation starts a run.</summary>
    public string KeyPrefix { get; }

    public Rule Rule { get; }
}
