namespace Forecast.Deploy.Manifest;

/// <summary>
/// One resource of aspire-manifest.json (Aspire's publisher format: https://aka.ms/dotnet/aspire/manifest), with the
/// fields the deployment reads. Placeholders such as "{s3.bindings.http.url}" are kept as written; see
/// <see cref="ManifestExpression"/>.
/// </summary>
public sealed record ManifestResource(
    string Name,
    string Type,
    string? Path,
    string? Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Args,
    IReadOnlyList<ManifestBinding> Bindings,
    ManifestParameterInput? Input)
{
    public ManifestResourceKind Kind => ManifestResourceKinds.Of(Type);
}

/// <summary>An endpoint of a resource ("bindings": { "http": { "scheme": "http", "targetPort": 8080 } }).</summary>
public sealed record ManifestBinding(string Name, string Scheme, int? TargetPort);

/// <summary>The "inputs.value" of a parameter.v0: whether it is secret and its default, when it has one.</summary>
public sealed record ManifestParameterInput(bool Secret, string? Default);
