using Forecast.Chronos.Checkpoints;
using static TorchSharp.torch;

namespace Forecast.Chronos.Loading;

/// <summary>
/// TorchSharp tensors from a <see cref="SafetensorsFile"/> (Chronos/Checkpoints): each tensor's bytes are copied
/// once from the memory mapping into a tensor of the stored dtype (little-endian, as the format and x64 are).
/// </summary>
public static class SafetensorsTensors
{
    /// <summary>A new tensor holding <paramref name="info"/>'s data, in its stored dtype.</summary>
    public static Tensor ToTensor(SafetensorsFile file, SafetensorsTensorInfo info)
    {
        var result = empty([.. info.Shape], dtype: ToScalarType(info.DType, file.Path, info.Name));
        if (info.ElementCount > 0)
            file.GetBytes(info).CopyTo(result.bytes);
        return result;
    }

    /// <summary>Every tensor of a file by name (a <see cref="TensorFileReader"/>); the caller disposes them.</summary>
    public static IReadOnlyDictionary<string, Tensor> ReadAll(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in file.Header.Tensors)
            tensors[info.Name] = ToTensor(file, info).DetachFromDisposeScope();
        return tensors;
    }

    public static ScalarType ToScalarType(SafetensorsDType dtype, string path, string name) => dtype switch
    {
        SafetensorsDType.Float32 => ScalarType.Float32,
        SafetensorsDType.BFloat16 => ScalarType.BFloat16,
        SafetensorsDType.Float16 => ScalarType.Float16,
        SafetensorsDType.Float64 => ScalarType.Float64,
        SafetensorsDType.Int64 => ScalarType.Int64,
        SafetensorsDType.Int32 => ScalarType.Int32,
        SafetensorsDType.Int16 => ScalarType.Int16,
        SafetensorsDType.Int8 => ScalarType.Int8,
        SafetensorsDType.UInt8 => ScalarType.Byte,
        SafetensorsDType.Bool => ScalarType.Bool,
        _ => throw new NotSupportedException($"{path}: tensor '{name}' has dtype {dtype.HeaderName()}, which TorchSharp cannot hold."),
    };
}
