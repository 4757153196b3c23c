using System.Globalization;
using Forecast.Deploy.Fargate;

namespace Forecast.Deploy;

/// <summary>The command line of the synthesizer: where the manifest is, where the output goes, and the settings.</summary>
public sealed record SynthesisRequest(string ManifestPath, string OutputFolder, DeploySettings Settings)
{
    public const string ImageTagVariable = "FORECAST_IMAGE_TAG";

    public const string Usage = """
        usage: dotnet run --project deploy/Forecast.Deploy -- --image-tag <tag> [options]
          --image-tag <tag>          the tag pushed to every ECR repository (or FORECAST_IMAGE_TAG); required
          --manifest <file>          the Aspire manifest (default: aspire-manifest.json)
          --out <folder>             where the template and task definitions go (default: deploy/out)
          --shards <N>               shards of the training job (default: 4)
          --max-concurrency <M>      shard tasks running at once (default: all N)
          --schedule <expression>    EventBridge schedule for the job, e.g. "cron(0 2 * * ? *)" (default: none)
          --size <project>=<cpu>/<memory>   Fargate size, e.g. trainer=4096/16384 (repeatable)
          --stack-name <name>        (default: Forecast)
          --bucket-prefix <prefix>   the key prefix the tasks may use (default: forecast)
          --manifest-bucket <name>   the bucket the manifest's s3:// URIs name (default: forecast)
          --trainer <resource>       the manifest resource of the Trainer (default: trainer)
          --stop-timeout <seconds>   SIGTERM to SIGKILL, 2..120 (default: 120)
          --log-retention-days <d>   CloudWatch Logs retention (default: 30)
        """;

    public static SynthesisRequest Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string manifest = "aspire-manifest.json", output = Path.Combine("deploy", "out");
        string? tag = environment(ImageTagVariable);
        var sizes = new Dictionary<string, FargateSize>(StringComparer.Ordinal);
        var settings = new DeploySettings { ImageTag = "" };
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new DeployException($"{option} needs a value.\n{Usage}");
            int Number() { string v = Value(); return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new DeployException($"{option}: '{v}' is not a whole number."); }
            switch (option)
            {
                case "--image-tag": tag = Value(); break;
                case "--manifest": manifest = Value(); break;
                case "--out": output = Value(); break;
                case "--shards": settings = settings with { Shards = Number() }; break;
                case "--max-concurrency": settings = settings with { MaxConcurrency = Number() }; break;
                case "--schedule": settings = settings with { Schedule = Value() }; break;
                case "--stack-name": settings = settings with { StackName = Value() }; break;
                case "--bucket-prefix": settings = settings with { BucketPrefix = Value() }; break;
                case "--manifest-bucket": settings = settings with { ManifestBucket = Value() }; break;
                case "--trainer": settings = settings with { TrainerResource = Value() }; break;
                case "--stop-timeout": settings = settings with { StopTimeoutSeconds = Number() }; break;
                case "--log-retention-days": settings = settings with { LogRetentionDays = Number() }; break;
                case "--size":
                    string size = Value();
                    int equals = size.IndexOf('=');
                    if (equals <= 0) throw new DeployException($"--size: '{size}' is not of the form <project>=<cpu>/<memory>, e.g. trainer=4096/16384.");
                    sizes[size[..equals]] = FargateSize.Parse(size[(equals + 1)..], $"--size {size[..equals]}");
                    break;
                case "--help" or "-h":
                    throw new DeployException(Usage);
                default:
                    throw new DeployException($"unknown option '{option}'.\n{Usage}");
            }
        }
        return new SynthesisRequest(manifest, output, (settings with { ImageTag = tag ?? "", Sizes = sizes }).Validate());
    }
}
