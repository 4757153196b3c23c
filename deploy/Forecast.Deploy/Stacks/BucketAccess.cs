using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Stacks;

/// <summary>What a project's task role may do in the bucket: all of it under the prefix, or reading only.</summary>
public enum BucketAccessLevel
{
    /// <summary>List and read under the prefix (the Evaluator; the Dashboard, which may also write run requests).</summary>
    ReadOnly,

    /// <summary>List, read, write and delete under the prefix (the Trainer: RunWriter aborts delete their files).</summary>
    ReadWrite,
}

/// <summary>
/// Least privilege on S3, one task role per project: every project lists and reads only under the prefix; the Trainer
/// (the sharded job's project) also writes and deletes there; a project that only writes run requests
/// (Trainer__Launch=Request in its manifest environment: the Dashboard) may put objects under &lt;prefix&gt;/requests/
/// and nothing else. Nothing outside the prefix, no bucket-wide or account-wide action.
/// </summary>
public static class BucketAccess
{
    /// <summary>The manifest setting that makes a project a run-request writer (Dashboard's TrainerOptions.Launch).</summary>
    public const string LaunchSetting = "Trainer__Launch";

    /// <summary>The folder under the prefix where run requests are written (RunRequest.Prefix without its slash).</summary>
    public const string RequestsFolder = "requests";

    public static BucketAccessLevel LevelOf(ManifestResource project, DeploySettings settings) =>
        project.Name == settings.TrainerResource ? BucketAccessLevel.ReadWrite : BucketAccessLevel.ReadOnly;

    /// <summary>Whether the project writes run requests for the state machine to run (its Trainer__Launch is Request).</summary>
    public static bool WritesRunRequests(ManifestResource project) =>
        project.Environment.TryGetValue(LaunchSetting, out string? launch) && string.Equals(launch, "Request", StringComparison.OrdinalIgnoreCase);

    public static void Grant(Role role, Bucket bucket, string prefix, BucketAccessLevel level, bool writesRunRequests)
    {
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ListThePrefix",
            Actions = ["s3:ListBucket"],
            Resources = [bucket.BucketArn],
            Conditions = new Dictionary<string, object> { ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = new[] { prefix, $"{prefix}/*" } } },
        }));
        role.AddToPolicy(level == BucketAccessLevel.ReadWrite
            ? new PolicyStatement(new PolicyStatementProps
            {
                Sid = "ObjectsUnderThePrefix",
                Actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                Resources = [bucket.ArnForObjects($"{prefix}/*")],
            })
            : new PolicyStatement(new PolicyStatementProps
            {
                Sid = "ReadUnderThePrefix",
                Actions = ["s3:GetObject"],
                Resources = [bucket.ArnForObjects($"{prefix}/*")],
            }));
        if (level == BucketAccessLevel.ReadOnly && writesRunRequests)
            role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "WriteRunRequests",
                Actions = ["s3:PutObject"],
                Resources = [bucket.ArnForObjects($"{prefix}/{RequestsFolder}/*")],
            }));
    }
}
