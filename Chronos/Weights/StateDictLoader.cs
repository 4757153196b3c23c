using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Weights;

/// <summary>
/// Copies checkpoint tensors into a module's parameters by PyTorch state_dict name, with errors that name the
/// tensor: a missing tensor, a shape mismatch, or an unexpected tensor not on the caller's ignore list (the tied
/// duplicates HF writes, e.g. <c>encoder.embed_tokens.weight</c>). Tensors of another float dtype (BF16/F16 files)
/// are converted to the parameter's dtype.
/// </summary>
public static class StateDictLoader
{
    /// <param name="source">Where the tensors came from (a file path), for messages.</param>
    /// <param name="ignorable">Extra names that may be present and are not loaded (tied copies).</param>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source,
        IReadOnlyCollection<string>? ignorable = null)
    {
        var parameters = module.state_dict();
        var missing = parameters.Keys.Where(name => !tensors.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"{source}: missing tensor{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(5))}"
                + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "")
                + "; the checkpoint does not match this model's architecture/config.json.");
        var unexpected = tensors.Keys
            .Where(name => !parameters.ContainsKey(name) && (ignorable is null || !ignorable.Contains(name)))
            .Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException(
                $"{source}: unexpected tensor{(unexpected.Count > 1 ? "s" : "")} {string.Join(", ", unexpected.Take(5))}; "
                + "the checkpoint does not match this model's config.json (layer counts, architecture).");

        using var noGrad = no_grad();
        foreach (var (name, target) in parameters)
        {
            var value = tensors[name];
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException(
                    $"{source}: tensor {name} has shape [{string.Join(", ", value.shape)}] but the model expects "
                    + $"[{string.Join(", ", target.shape)}] (check d_model, d_ff, d_kv, num_heads, vocab_size in config.json).");
            target.copy_(value);
        }
    }
}
