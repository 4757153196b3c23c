using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// The address and element strides of a float32 CPU tensor of up to four dimensions (a view: no copy). Valid while the
/// tensor lives; libtorch memory does not move.
/// </summary>
internal readonly unsafe struct StridedTensor
{
    private readonly float* data;
    private readonly long[] strides;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StridedTensor(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || tensor.dim() > 4)
            throw new ArgumentException($"Expected a float32 CPU tensor of at most 4 dimensions, not {tensor.dtype} {tensor.device_type} [{string.Join(", ", tensor.shape)}].");
        using var storage = tensor.storage<float>();
        data = (float*)storage.data_ptr() + tensor.storage_offset();
        // Left-padded to four dimensions, so At(a, b, c) works for any rank; size-1 dimensions may be indexed with 0 only.
        strides = new long[4];
        var own = tensor.stride();
        own.CopyTo(strides, 4 - own.Length);
    }

    /// <summary>Stride of dimension <paramref name="dimension"/> of the four (left-padded) dimensions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Stride(int dimension) => strides[dimension];

    /// <summary>Address of element [a, b, c, 0] (the last dimension starts there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float* At(long a, long b, long c) => data + a * strides[0] + b * strides[1] + c * strides[2];
}
