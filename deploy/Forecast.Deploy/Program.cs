using Forecast.Deploy;

// dotnet run --project deploy/Forecast.Deploy -- --image-tag <tag> [--manifest aspire-manifest.json] [--out deploy/out]
//   [--shards N] [--schedule "cron(0 2 * * ? *)"] [--size trainer=4096/16384] ...   (docs/deploy.md)
// Synthesizes the CloudFormation template and one ECS task definition JSON per project, offline.
try
{
    var request = SynthesisRequest.Parse(args, Environment.GetEnvironmentVariable);
    var result = Synthesizer.Run(request);
    foreach (string note in result.Notes) Console.WriteLine($"note: {note}");
    Console.WriteLine($"Template: {result.TemplatePath}");
    foreach (string path in result.TaskDefinitionPaths) Console.WriteLine($"Task definition: {path}");
    return 0;
}
catch (DeployException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
