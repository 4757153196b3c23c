using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// Linear layers whose weights may be in a lower precision than the activations (the opt-in bfloat16 path, as
/// torch.autocast runs it on CPU): the input is cast to the weight's dtype, the product runs there (AVX512-BF16
/// matrix units), and the result is cast back, so norms, softmax and the residual stream stay float32.
/// With equal dtypes these are plain calls, or packed-weight products inside a <see cref="PackedWeightDecoding"/> or
/// <see cref="Float32InferenceSession"/>.
/// </summary>
public static class MixedPrecision
{
    public static Tensor Dense(Linear layer, Tensor input)
    {
        var weightType = layer.weight!.dtype;
        if (PackedWeightDecoding.Current is { } decoding && layer.bias is null && weightType == ScalarType.Float32
            && input.dtype == ScalarType.Float32)
            return decoding.Multiply(input, layer.weight);
        if (Float32InferenceSession.Current is { } session && Float32InferenceSession.Accepts(input, layer.weight))
            return session.Multiply(input, layer.weight, layer.bias);
        if (weightType == input.dtype)
            return layer.forward(input);
        using var cast = input.to_type(weightType);
        using var output = layer.forward(cast);
        return output.to_type(input.dtype);
    }

    /// <summary>
    /// <c>second(activation(first(x)))</c> with the (rows × d_ff) intermediate kept in the weights' dtype: only the
    /// narrow input and output are cast.
    /// </summary>
    public static Tensor DenseActDense(Linear first, Func<Tensor, Tensor> activation, Linear second, Tensor input)
    {
        var weightType = first.weight!.dtype;
        if (weightType == input.dtype)
        {
            using var hidden = activation(Dense(first, input));
            return Dense(second, hidden);
        }
        using var cast = input.to_type(weightType);
        using var inner = activation(first.forward(cast));
        using var output = second.forward(inner);
        return output.to_type(input.dtype);
    }
}
