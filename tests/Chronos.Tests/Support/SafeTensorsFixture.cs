using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Support;

/// <summary>
/// Minimal reader for the golden safetensors fixtures (F32, I64, U8/BOOL, BF16), private to the tests: the
/// library's checkpoint reader belongs to Chronos/Checkpoints (branch chronos-io).
/// </summary>
internal static class SafeTensorsFixture
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
                continue;
            var dtype = entry.Value.GetProperty("dtype").GetString();
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var span = bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]));
            result[entry.Name] = dtype switch
            {
                "F32" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).ToArray(), shape),
                "I64" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(span).ToArray(), shape),
                "U8" or "BOOL" => tensor(span.ToArray(), shape),
                "BF16" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(span).ToArray()
                    .Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray(), shape),
                _ => throw new NotSupportedException($"{path}: tensor {entry.Name} has dtype {dtype}"),
            };
        }
        return result;
    }
}
