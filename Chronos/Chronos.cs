using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Lora;
using static TorchSharp.torch;

namespace Forecast.Chronos;

/// <summary>
/// One entry for every Chronos checkpoint (chronos-forecasting base.py: BaseChronosPipeline.from_pretrained): the
/// source is resolved to a local folder (a folder as is, <c>s3://</c> through <see cref="ChronosLoadOptions.ObjectStore"/>,
/// a hub id such as <c>amazon/chronos-bolt-small</c> downloaded into the Hugging Face cache), its config.json names the
/// family, and the matching pipeline comes back behind <see cref="IChronosPipeline"/>. The family loaders
/// (<see cref="ChronosPretrained"/>, <see cref="Chronos2Pretrained"/>) remain for callers who want a concrete type.
/// </summary>
public static class Chronos
{
    /// <inheritdoc cref="FromPretrainedAsync"/>
    public static IChronosPipeline FromPretrained(string source, ChronosLoadOptions? options = null) =>
        FromPretrainedAsync(source, options).GetAwaiter().GetResult();

    /// <summary>Loads the checkpoint at <paramref name="source"/> as the pipeline of its family.</summary>
    /// <exception cref="CheckpointException">config.json of an unknown family, a bad field, a missing or misshapen tensor; a LoRA
    /// adapter (a folder with adapter_config.json) for another base model (<see cref="LoraAdapterException"/>).</exception>
    public static async Task<IChronosPipeline> FromPretrainedAsync(string source, ChronosLoadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        options ??= new ChronosLoadOptions();
        using var resolver = new CheckpointResolver(options.Hub);
        if (options.ObjectStore is { } store)
            resolver.RegisterObjectStore(store);
        // A local folder with adapter_config.json is a peft LoRA adapter (it has no config.json of its own).
        var folder = Directory.Exists(source) && LoraAdapter.IsAdapterFolder(source)
            ? source
            : await resolver.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
        if (!LoraAdapter.IsAdapterFolder(folder))
            return Load(folder, options);

        // A peft LoRA adapter (pipeline.py: from_pretrained → AutoPeftModel + merge_and_unload): its base model is loaded
        // from base_model_name_or_path (a folder, relative to the adapter's when it exists there, or a hub id / s3://).
        var configPath = Path.Combine(folder, "adapter_config.json");
        var baseReference = LoraAdapter.BaseModelNameOrPath(folder)
            ?? throw new LoraAdapterException(configPath,
                "base_model_name_or_path is not set; load the base model with FromPretrained and call Chronos2Pipeline.MergeAdapter.");
        var besideAdapter = Path.GetFullPath(Path.Combine(folder, baseReference));
        var baseFolder = await resolver.ResolveAsync(Directory.Exists(besideAdapter) ? besideAdapter : baseReference, cancellationToken)
            .ConfigureAwait(false);
        ChronosPretrained.CheckDType(options.DType);
        // Merged in float32 (as the reference merges before any cast), then the opt-in lower precision is applied.
        var pipeline = Load(baseFolder, options with { DType = ScalarType.Float32 });
        if (pipeline is not Chronos2Pipeline chronos2)
        {
            pipeline.Dispose();
            throw new LoraAdapterException(configPath,
                $"the base model '{baseReference}' is a {pipeline.Family} checkpoint; LoRA adapters are supported for Chronos-2 only.");
        }
        try
        {
            chronos2.MergeAdapter(folder);
            if (options.DType != ScalarType.Float32)
                chronos2.Model.UseEncoderDType(options.DType);
        }
        catch
        {
            chronos2.Dispose();
            throw;
        }
        return chronos2;
    }

    /// <summary>The pipeline of a local checkpoint folder's family (config.json read once).</summary>
    internal static IChronosPipeline Load(string folder, ChronosLoadOptions options)
    {
        var config = ChronosCheckpointConfig.ReadFolder(folder);
        IChronosPipeline pipeline = config.Family switch
        {
            ChronosModelFamily.ChronosBolt => ChronosPretrained.LoadBolt(config, folder, options.DType, null),
            ChronosModelFamily.ChronosT5 => ChronosPretrained.LoadT5(config, folder, options.DType, null),
            _ => Chronos2Pretrained.Load(config, folder, options.DType, null),
        };
        pipeline.Inference = options.Inference;
        return pipeline;
    }
}
