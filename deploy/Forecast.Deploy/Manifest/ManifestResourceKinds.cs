namespace Forecast.Deploy.Manifest;

/// <summary>What the deployment does with a resource type.</summary>
public enum ManifestResourceKind
{
    /// <summary>project.v0/v1: a .NET project, built into an image and run as a Fargate task.</summary>
    Project,

    /// <summary>parameter.v0: a value given at deployment, a CloudFormation parameter.</summary>
    Parameter,

    /// <summary>container.v0/v1, executable.v0: the local S3 emulators of the AppHost (LocalStack, s3rver); the stack's S3 bucket replaces them.</summary>
    LocalEmulator,

    /// <summary>value.v0: a computed string (e.g. a connection string), resolved where it is referenced.</summary>
    Value,
}

public static class ManifestResourceKinds
{
    /// <summary>Every resource type the deployment understands, with what it does with it.</summary>
    public static readonly IReadOnlyDictionary<string, ManifestResourceKind> Known = new Dictionary<string, ManifestResourceKind>(StringComparer.Ordinal)
    {
        ["project.v0"] = ManifestResourceKind.Project,
        ["project.v1"] = ManifestResourceKind.Project,
        ["parameter.v0"] = ManifestResourceKind.Parameter,
        ["container.v0"] = ManifestResourceKind.LocalEmulator,
        ["container.v1"] = ManifestResourceKind.LocalEmulator,
        ["executable.v0"] = ManifestResourceKind.LocalEmulator,
        ["value.v0"] = ManifestResourceKind.Value,
    };

    public static ManifestResourceKind Of(string type) =>
        Known.TryGetValue(type, out var kind) ? kind : throw new ArgumentOutOfRangeException(nameof(type), type, "unknown resource type");
}
