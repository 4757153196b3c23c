using Forecast.Core.Artifacts;
using Forecast.Core.Storage;
using Forecast.Dashboard.Extensions;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Forecast.Dashboard.Services;

/// <summary>
/// The YAML configs the start form offers: the *.yaml files directly in <see cref="TrainerOptions.ConfigFolder"/>, a
/// folder or an s3:// prefix, and which model each is written for (its model.name, and the variant and checkpoint of
/// its model section), so a form choice that disagrees with the config is a validation message.
/// </summary>
public sealed class RunConfigs
{
    private readonly IArtifactStore _store;
    private readonly string _folder;

    public RunConfigs(IOptions<TrainerOptions> options, StorageLocations locations, IHostEnvironment environment)
    {
        _folder = Extensions.Extensions.ContentPath(environment.ContentRootPath, options.Value.ConfigFolder);
        _store = locations.OpenArtifactStore(_folder);
    }

    /// <summary>The folder or prefix, for messages.</summary>
    public string Folder => _folder;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        try
        {
            await foreach (var info in _store.ListAsync("", cancellationToken))
                if (!info.Key.Contains('/', StringComparison.Ordinal) && info.Key.EndsWith(".yaml", StringComparison.Ordinal)) names.Add(info.Key);
        }
        catch (ArtifactStoreException) { } // no such folder: no configs to offer
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>Where the Trainer reads config <paramref name="name"/> (an absolute path or an s3:// URI).</summary>
    public string LocationOf(string name) => _store.Describe(name);

    /// <summary>The model <paramref name="name"/> is written for, or why it cannot be told.</summary>
    public async Task<ConfigModel> ModelOfAsync(string name, CancellationToken cancellationToken = default)
    {
        byte[]? bytes;
        try
        {
            bytes = await _store.GetAsync(name, cancellationToken);
        }
        catch (Exception e) when (e is ArtifactStoreException or S3StorageException)
        {
            return ConfigModel.Unreadable(e.Message);
        }
        if (bytes is null) return ConfigModel.Unreadable($"{LocationOf(name)} does not exist");
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(System.Text.Encoding.UTF8.GetString(bytes)));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return ConfigModel.Unreadable("it is not a YAML mapping");
            if (Child(root, "model") is not YamlMappingNode model || Scalar(model, "name") is not { Length: > 0 } modelName)
                return ConfigModel.Unreadable("it has no model.name");
            var options = Child(model, modelName) as YamlMappingNode;
            return new ConfigModel(modelName, options is null ? null : Scalar(options, "variant"), options is null ? null : Scalar(options, "checkpoint"), null);
        }
        catch (YamlException e)
        {
            return ConfigModel.Unreadable($"line {e.Start.Line}: {e.Message}");
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.FirstOrDefault(p => p.Key is YamlScalarNode k && k.Value == key).Value;

    private static string? Scalar(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } && value is not ("null" or "~") ? value : null;
}

/// <summary>The model a config is written for (<see cref="Problem"/> says why it could not be read).</summary>
public sealed record ConfigModel(string? Name, string? Variant, string? Checkpoint, string? Problem)
{
    public static ConfigModel Unreadable(string why) => new(null, null, null, why);

    /// <summary>name[/variant][@checkpoint] as the run will name it, or "?" when unknown.</summary>
    public override string ToString() => Name is null ? "?" : new Core.Models.ModelIdentity(Name, Variant, Checkpoint).ToString();
}
