using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>The key/value caches of all decoder blocks plus the encoder mask bias, for one generation call.</summary>
internal sealed class T5DecoderCache(IReadOnlyList<T5LayerCache> layers, Tensor crossMaskBias) : IDisposable
{
    public IReadOnlyList<T5LayerCache> Layers { get; } = layers;

    /// <summary>(B, 1, 1, Le) additive encoder mask.</summary>
    public Tensor CrossMaskBias { get; } = crossMaskBias;

    public void Dispose()
    {
        foreach (var layer in Layers)
            layer.Dispose();
        CrossMaskBias.Dispose();
    }
}
