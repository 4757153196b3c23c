namespace Forecast.Chronos.Checkpoints;

/// <summary>A checkpoint already on disk: an existing folder path (or a file:// URI) with config.json in it.</summary>
public sealed class LocalFolderCheckpointSource : ICheckpointSource
{
    public bool CanResolve(string reference) =>
        reference.StartsWith("file://", StringComparison.OrdinalIgnoreCase) || Directory.Exists(reference);

    public Task<string> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        var folder = reference.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(reference).LocalPath : reference;
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder}: checkpoint folder not found.");
        if (!File.Exists(Path.Combine(folder, ChronosCheckpointConfig.FileName)))
            throw new FileNotFoundException(
                $"{folder}: no {ChronosCheckpointConfig.FileName}; a checkpoint folder holds config.json and model.safetensors "
                + "(as written by save_pretrained).", Path.Combine(folder, ChronosCheckpointConfig.FileName));
        return Task.FromResult(folder);
    }
}
