using Forecast.Chronos.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Copies checkpoint tensors into a module's parameters by PyTorch state_dict name, with errors that name the
/// tensor: <see cref="MissingTensorException"/>, <see cref="TensorShapeMismatchException"/>, or
/// <see cref="InvalidDataException"/> for an unexpected tensor not on the caller's ignore list (the tied duplicates HF
/// writes, e.g. <c>encoder.embed_tokens.weight</c>). Tensors of another float dtype (BF16/F16 files, or an F32 file
/// into a bfloat16 model) are converted to the parameter's dtype.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads straight from a checkpoint (a single file or shards), one tensor at a time into the parameter's own
    /// memory (no second copy of the model; other float dtypes converted on the way).
    /// </summary>
    public static void Load(nn.Module module, SafetensorsCheckpoint checkpoint, IReadOnlyCollection<string>? ignorable = null)
    {
        var parameters = module.state_dict();
        var source = checkpoint.Index is null ? Path.Combine(checkpoint.Folder, SafetensorsCheckpoint.SingleFileName)
            : Path.Combine(checkpoint.Folder, SafetensorsIndex.FileName);
        CheckNames(parameters, checkpoint.Names.ToHashSet(StringComparer.Ordinal), source, ignorable);
        foreach (var (name, target) in parameters)
            SafetensorsTorch.CopyInto(checkpoint, name, target);
        // CopyInto may write a parameter's memory directly, which libtorch's version counter does not see.
        ComposedWeight.InvalidateAll(module);
    }

    /// <param name="source">Where the tensors came from (a file path), for messages.</param>
    /// <param name="ignorable">Extra names that may be present and are not loaded (tied copies).</param>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source,
        IReadOnlyCollection<string>? ignorable = null)
    {
        var parameters = module.state_dict();
        CheckNames(parameters, tensors.Keys.ToHashSet(StringComparer.Ordinal), source, ignorable);
        using var noGrad = no_grad();
        foreach (var (name, target) in parameters)
        {
            var value = tensors[name];
            if (!value.shape.SequenceEqual(target.shape))
                throw new TensorShapeMismatchException(source, name, target.shape, value.shape);
            target.copy_(value);
        }
        ComposedWeight.InvalidateAll(module);
    }

    private static void CheckNames(Dictionary<string, Tensor> parameters, HashSet<string> available, string source,
        IReadOnlyCollection<string>? ignorable)
    {
        var missing = parameters.Keys.Where(name => !available.Contains(name)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (missing is not null)
            throw new MissingTensorException(source, missing);
        var unexpected = available
            .Where(name => !parameters.ContainsKey(name) && (ignorable is null || !ignorable.Contains(name)))
            .Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException(
                $"{source}: unexpected tensor{(unexpected.Count > 1 ? "s" : "")} {string.Join(", ", unexpected.Take(5))}"
                + (unexpected.Count > 5 ? $" and {unexpected.Count - 5} more" : "")
                + "; the checkpoint does not match this model's config.json (layer counts, architecture).");
    }
}
