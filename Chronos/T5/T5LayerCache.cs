using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// Key/value cache of one decoder block during generation: self-attention keys/values preallocated for the whole
/// horizon (written in place, no per-step concatenation) and the cross-attention keys/values of the encoder output,
/// computed once per series (not per sample).
/// </summary>
internal sealed class T5LayerCache : IDisposable
{
    private readonly Tensor selfKeys;
    private readonly Tensor selfValues;

    public T5LayerCache(Tensor selfKeys, Tensor selfValues, Tensor crossKeys, Tensor crossValues)
    {
        this.selfKeys = selfKeys;
        this.selfValues = selfValues;
        CrossKeys = crossKeys;
        CrossValues = crossValues;
    }

    /// <summary>Number of decoder positions already cached.</summary>
    public long Length { get; private set; }

    public Tensor CrossKeys { get; }
    public Tensor CrossValues { get; }

    /// <summary>Writes the new position's (N, h, 1, k) key/value and returns views of positions 0…Length.</summary>
    public (Tensor Keys, Tensor Values) AppendSelf(Tensor key, Tensor value)
    {
        if (Length >= selfKeys.shape[2])
            throw new InvalidOperationException($"The decoder cache holds {selfKeys.shape[2]} positions; it is full.");
        var position = TensorIndex.Slice(Length, Length + 1);
        selfKeys[TensorIndex.Colon, TensorIndex.Colon, position].copy_(key);
        selfValues[TensorIndex.Colon, TensorIndex.Colon, position].copy_(value);
        Length++;
        var filled = TensorIndex.Slice(0, Length);
        return (selfKeys[TensorIndex.Colon, TensorIndex.Colon, filled], selfValues[TensorIndex.Colon, TensorIndex.Colon, filled]);
    }

    public void Dispose()
    {
        selfKeys.Dispose();
        selfValues.Dispose();
        CrossKeys.Dispose();
        CrossValues.Dispose();
    }
}
