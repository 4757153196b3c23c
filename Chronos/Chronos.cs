using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
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
    /// <exception cref="CheckpointException">config.json of an unknown family, a bad field, a missing or misshapen tensor.</exception>
    public static async Task<IChronosPipeline> FromPretrainedAsync(string source, ChronosLoadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        options ??= new ChronosLoadOptions();
        string folder;
        using (var resolver = new CheckpointResolver(options.Hub))
        {
            if (options.ObjectStore is { } store)
                resolver.RegisterObjectStore(store);
            folder = await resolver.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
        }
        return Load(folder, options);
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
