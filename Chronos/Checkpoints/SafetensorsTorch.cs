using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Turns safetensors entries into TorchSharp tensors: one read from the file into the tensor's storage, then
/// (for floating tensors) a conversion to the requested dtype — float32 by default, as HF from_pretrained without
/// torch_dtype; bfloat16/float16 kept when asked. BF16 → F32 and F16 → F32 are exact. Integer and bool tensors keep
/// their type. This is the only file of Checkpoints/ that needs the native library.
/// </summary>
public static class SafetensorsTorch
{
    /// <summary>A copy of <paramref name="info"/>'s data as a CPU tensor.</summary>
    /// <param name="floatingDType">Target dtype for floating tensors; null keeps the stored dtype.</param>
    public static Tensor ToTensor(SafetensorsFile file, SafetensorsTensorInfo info, ScalarType? floatingDType = ScalarType.Float32)
    {
        TorchRuntime.EnsureLoaded();
        var stored = StoredType(info, file.Path);
        if (floatingDType is { } wanted && wanted != stored && IsFloating(stored) && IsFloating(wanted)
            && FloatConversions.Supports(info.DType, DTypeOf(wanted)))
            return ConvertWhileReading(file, info, wanted);
        var tensor = empty(info.Shape.ToArray(), stored);
        try
        {
            if (info.ByteLength > 0)
                file.CopyTo(info, tensor.bytes);
            if (floatingDType is not { } target || !tensor.is_floating_point() || stored == target)
                return tensor;
            if (!IsFloating(target))
                throw new ArgumentException($"floatingDType must be a floating type (Float32, BFloat16, Float16, Float64), not {target}.", nameof(floatingDType));
            var converted = tensor.to_type(target);
            tensor.Dispose();
            return converted;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>A copy of <paramref name="name"/> checked to have <paramref name="expectedShape"/>.</summary>
    public static Tensor ToTensor(SafetensorsFile file, string name, IReadOnlyList<long> expectedShape,
        ScalarType? floatingDType = ScalarType.Float32) =>
        ToTensor(file, file.GetInfo(name, expectedShape), floatingDType);

    /// <summary>Every tensor of a single safetensors file by name (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> ReadAll(string path, ScalarType? floatingDType = ScalarType.Float32)
    {
        using var file = SafetensorsFile.Open(path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in file.Header.Tensors)
                result[info.Name] = ToTensor(file, info, floatingDType).DetachFromDisposeScope(); // owned by the caller
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
    }

    /// <summary>Every tensor of a single file as float32 (the <c>Loading.TensorFileReader</c> shape).</summary>
    public static Dictionary<string, Tensor> ReadAll(string path) => ReadAll(path, ScalarType.Float32);

    /// <summary>
    /// Every stored tensor of a checkpoint folder (single file or shards) by name; tied copies stay as stored, use
    /// <see cref="SafetensorsCheckpoint.Get(string)"/> to resolve them.
    /// </summary>
    public static Dictionary<string, Tensor> ReadCheckpoint(string folder, ScalarType? floatingDType = ScalarType.Float32)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var name in checkpoint.Names)
            {
                var (file, info) = checkpoint.Get(name);
                result[name] = ToTensor(file, info, floatingDType).DetachFromDisposeScope(); // owned by the caller
            }
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Saves a state dict into a checkpoint folder as transformers' save_pretrained does: tied T5 copies
    /// (encoder/decoder.embed_tokens, lm_head when tied) dropped so only shared.weight is written — after checking
    /// they are equal to it —, tensors in their own dtype, sharded above <paramref name="maxShardBytes"/>.
    /// </summary>
    public static SafetensorsIndex? SaveCheckpoint(string folder, IReadOnlyDictionary<string, Tensor> stateDict,
        bool tieWordEmbeddings = true, long maxShardBytes = SafetensorsShardWriter.DefaultMaxShardBytes)
    {
        foreach (var (copy, canonical) in T5TiedWeights.DroppedCopies(stateDict.Keys, tieWordEmbeddings))
            if (!SameValues(stateDict[copy], stateDict[canonical]))
                throw new InvalidDataException(
                    $"{folder}: '{copy}' is tied to '{canonical}' but holds different values; a tied checkpoint stores one "
                    + "embedding (set tie_word_embeddings false in config.json if lm_head is meant to be separate).");
        var names = T5TiedWeights.NamesToSave(stateDict.Keys, tieWordEmbeddings);
        var sourceOf = names.ToDictionary(n => n.Target, n => n.Source, StringComparer.Ordinal);
        var specs = names.Select(n => new SafetensorsTensorSpec(n.Target, DTypeOf(stateDict[n.Source], n.Source), stateDict[n.Source].shape)).ToList();
        return SafetensorsShardWriter.Write(folder, specs, (spec, stream) => WriteBytes(stateDict[sourceOf[spec.Name]], stream), maxShardBytes);
    }

    /// <summary>Writes one tensor to a single safetensors file under its own name (no tied-weight handling).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsWriter.Write(path,
            tensors.Select(t => new SafetensorsTensorSpec(t.Key, DTypeOf(t.Value, t.Key), t.Value.shape)),
            (spec, stream) => WriteBytes(tensors[spec.Name], stream), metadata);

    private static bool SameValues(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype)
            return false;
        // Byte equality: what would be written, NaNs included.
        using var left = OwnedCpuContiguous(a);
        using var right = OwnedCpuContiguous(b);
        return left.bytes.SequenceEqual(right.bytes);
    }

    private static void WriteBytes(Tensor tensor, Stream stream)
    {
        using var contiguous = OwnedCpuContiguous(tensor);
        stream.Write(contiguous.bytes);
    }

    /// <summary>
    /// A new handle on a contiguous CPU copy/view of <paramref name="tensor"/>, safe to dispose without touching the
    /// caller's tensor (cpu() and contiguous() may hand back the same object when nothing needs to change).
    /// </summary>
    private static Tensor OwnedCpuContiguous(Tensor tensor)
    {
        using var view = tensor.alias();
        using var cpu = view.cpu();
        using var contiguous = cpu.contiguous();
        return contiguous.alias();
    }

    /// <summary>The TorchSharp type of a stored dtype; the format's unsigned 16/32/64-bit and FP8 types have none here.</summary>
    public static ScalarType StoredType(SafetensorsTensorInfo info, string path) => info.DType switch
    {
        SafetensorsDType.Bool => ScalarType.Bool,
        SafetensorsDType.UInt8 => ScalarType.Byte,
        SafetensorsDType.Int8 => ScalarType.Int8,
        SafetensorsDType.Int16 => ScalarType.Int16,
        SafetensorsDType.Float16 => ScalarType.Float16,
        SafetensorsDType.BFloat16 => ScalarType.BFloat16,
        SafetensorsDType.Int32 => ScalarType.Int32,
        SafetensorsDType.Float32 => ScalarType.Float32,
        SafetensorsDType.Float64 => ScalarType.Float64,
        SafetensorsDType.Int64 => ScalarType.Int64,
        _ => throw new NotSupportedException(
            $"{path}: tensor '{info.Name}' is {info.DType.HeaderName()}, which has no TorchSharp type; read its raw bytes with SafetensorsFile.GetBytes."),
    };

    /// <summary>The safetensors dtype a TorchSharp tensor is written as.</summary>
    public static SafetensorsDType DTypeOf(Tensor tensor, string name) => tensor.dtype switch
    {
        ScalarType.Bool => SafetensorsDType.Bool,
        ScalarType.Byte => SafetensorsDType.UInt8,
        ScalarType.Int8 => SafetensorsDType.Int8,
        ScalarType.Int16 => SafetensorsDType.Int16,
        ScalarType.Float16 => SafetensorsDType.Float16,
        ScalarType.BFloat16 => SafetensorsDType.BFloat16,
        ScalarType.Int32 => SafetensorsDType.Int32,
        ScalarType.Float32 => SafetensorsDType.Float32,
        ScalarType.Float64 => SafetensorsDType.Float64,
        ScalarType.Int64 => SafetensorsDType.Int64,
        _ => throw new NotSupportedException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot store."),
    };

    /// <summary>
    /// Reads the stored elements in 1 MiB chunks and converts them straight into a tensor of <paramref name="target"/>:
    /// no full-size intermediate tensor, bit-identical to libtorch's conversion (<see cref="FloatConversions"/>).
    /// </summary>
    private static Tensor ConvertWhileReading(SafetensorsFile file, SafetensorsTensorInfo info, ScalarType target)
    {
        const int ChunkElements = 1 << 18;
        var targetDType = DTypeOf(target);
        var tensor = empty(info.Shape.ToArray(), target);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkElements * info.DType.SizeInBytes());
        try
        {
            var destination = tensor.bytes;
            var sourceSize = info.DType.SizeInBytes();
            var targetSize = targetDType.SizeInBytes();
            for (long element = 0; element < info.ElementCount; element += ChunkElements)
            {
                var count = (int)Math.Min(ChunkElements, info.ElementCount - element);
                var chunk = buffer.AsSpan(0, count * sourceSize);
                file.ReadRange(info, element * sourceSize, chunk);
                FloatConversions.Convert(info.DType, targetDType, chunk, destination.Slice((int)(element * targetSize), count * targetSize));
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SafetensorsDType DTypeOf(ScalarType type) => type switch
    {
        ScalarType.Float32 => SafetensorsDType.Float32,
        ScalarType.BFloat16 => SafetensorsDType.BFloat16,
        ScalarType.Float16 => SafetensorsDType.Float16,
        _ => SafetensorsDType.Float64,
    };

    private static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64;
}
