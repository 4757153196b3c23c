using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Writes safetensors files byte-for-byte as the reference serializer does (huggingface/safetensors
/// safetensors/src/tensor.rs, prepare + serialize_to_file), so that Python's safetensors / from_pretrained load them
/// and a file re-written from a reference file is identical: tensors ordered by dtype alignment (descending, the
/// Dtype enum order) then by name (ordinal), data offsets contiguous from 0, compact serde_json header with
/// <c>__metadata__</c> first ({"format":"pt"} as transformers' save_pretrained writes), padded with spaces to a
/// multiple of 8 bytes, then the 8-byte little-endian header length.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>transformers modeling_utils.save_pretrained: safe_save_file(..., metadata={"format": "pt"}).</summary>
    public static readonly IReadOnlyDictionary<string, string> PyTorchMetadata =
        new Dictionary<string, string> { ["format"] = "pt" };

    /// <summary>Pass as metadata to write no <c>__metadata__</c> entry (safetensors save_file(..., metadata=None)).</summary>
    public static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>The file order of <paramref name="tensors"/> (tensor.rs prepare: dtype descending, then name).</summary>
    public static IReadOnlyList<SafetensorsTensorSpec> Order(IEnumerable<SafetensorsTensorSpec> tensors)
    {
        var list = tensors.ToList();
        var duplicate = list.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"tensor '{duplicate.Key}' is given {duplicate.Count()} times; names must be unique.", nameof(tensors));
        list.Sort((a, b) => a.DType != b.DType ? b.DType.CompareTo(a.DType) : string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>
    /// The header bytes (JSON + space padding, without the 8-byte length) for tensors already in file order; no
    /// <c>__metadata__</c> entry when <paramref name="metadata"/> is null or empty.
    /// </summary>
    public static byte[] BuildHeader(IReadOnlyList<SafetensorsTensorSpec> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder("{");
        var first = true;
        if (metadata is { Count: > 0 })
        {
            json.Append("\"__metadata__\":{");
            // serde_json writes a HashMap in hash order; with HF's single "format" key that is the only order.
            json.AppendJoin(',', metadata.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => $"{Quote(m.Key)}:{Quote(m.Value)}"));
            json.Append('}');
            first = false;
        }
        long offset = 0;
        foreach (var tensor in ordered)
        {
            if (tensor.Name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved and cannot name a tensor.", nameof(ordered));
            var end = checked(offset + tensor.ByteLength);
            json.Append(first ? "" : ",").Append(Quote(tensor.Name)).Append(":{\"dtype\":\"").Append(tensor.DType.HeaderName())
                .Append("\",\"shape\":[").AppendJoin(',', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))
                .Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
            first = false;
        }
        json.Append('}');
        var bytes = Encoding.UTF8.GetBytes(json.ToString());
        // tensor.rs prepare: "Force alignment to 8 bytes" with b' '.
        var padded = (bytes.Length + 7) / 8 * 8;
        var header = new byte[padded];
        bytes.CopyTo(header, 0);
        header.AsSpan(bytes.Length).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> (through a temporary file, moved into place when
    /// complete). <paramref name="writeData"/> is called once per tensor, in file order, and must write exactly its bytes.
    /// <paramref name="metadata"/> defaults to {"format": "pt"}; pass <see cref="NoMetadata"/> for none.
    /// </summary>
    public static void Write(string path, IEnumerable<SafetensorsTensorSpec> tensors, TensorDataWriter writeData,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = Order(tensors);
        var header = BuildHeader(ordered, metadata ?? PyTorchMetadata);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var tensor in ordered)
                {
                    var before = stream.Position;
                    writeData(tensor, stream);
                    var written = stream.Position - before;
                    if (written != tensor.ByteLength)
                        throw new InvalidOperationException(
                            $"{path}: {written} bytes were written for tensor '{tensor.Name}' but {tensor.DType.HeaderName()} "
                            + $"[{string.Join(", ", tensor.Shape)}] takes {tensor.ByteLength}.");
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes in-memory tensors (name → dtype, shape, bytes).</summary>
    public static void Write(string path, IEnumerable<(SafetensorsTensorSpec Spec, ReadOnlyMemory<byte> Data)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var data = tensors.ToDictionary(t => t.Spec.Name, t => t.Data, StringComparer.Ordinal);
        Write(path, tensors.Select(t => t.Spec), (spec, stream) => stream.Write(data[spec.Name].Span), metadata);
    }

    /// <summary>
    /// Re-writes selected tensors of an open file (e.g. all but tied copies) without decoding them, with the source's
    /// metadata unless <paramref name="metadata"/> is given.
    /// </summary>
    public static void Write(string path, SafetensorsFile source, IEnumerable<string> names,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var specs = names.Select(name => source.GetInfo(name)).Select(i => new SafetensorsTensorSpec(i.Name, i.DType, i.Shape));
        Write(path, specs, (spec, stream) => stream.Write(source.GetBytes(spec.Name)), metadata ?? source.Header.Metadata ?? NoMetadata);
    }

    /// <summary>A JSON string as serde_json writes it: only '"', '\\' and control characters escaped, UTF-8 kept.</summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }
}
