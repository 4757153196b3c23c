using System.Text;
using System.Text.Json;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// The parsed and validated JSON header of a safetensors file. Validation follows the reference reader
/// (huggingface/safetensors tensor.rs, SafeTensors::read_metadata and Metadata::validate): header length within the
/// file and at most 100 MB, tensors sorted by offset must tile the data section exactly (first at 0, each starting
/// where the previous ended, the last ending at the end of the file) and each range must hold dtype size × elements.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>tensor.rs MAX_HEADER_SIZE.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private readonly Dictionary<string, SafetensorsTensorInfo> byName;

    private SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string>? metadata, long headerLength)
    {
        Tensors = tensors;
        Metadata = metadata;
        HeaderLength = headerLength;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Tensors in file (offset) order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> string map (HF writes {"format": "pt"}), or null when absent.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>Length of the JSON header in bytes (padding included), as stored in the first 8 bytes.</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data section starts in the file.</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>Length of the data section the header describes.</summary>
    public long DataLength => Tensors.Count == 0 ? 0 : Tensors[^1].End;

    public bool TryGet(string name, out SafetensorsTensorInfo info) => byName.TryGetValue(name, out info!);

    /// <summary>
    /// Reads the header length from the first 8 bytes (little-endian u64) and checks it against the file length.
    /// </summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> first8, long fileLength, string path)
    {
        if (fileLength < 8 || first8.Length < 8)
            throw new SafetensorsFormatException(path, SafetensorsProblem.Truncated,
                $"the file is {fileLength} bytes, shorter than the 8-byte header length; it is truncated (re-download or re-save it).");
        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(first8);
        if (length > MaxHeaderLength)
            throw new SafetensorsFormatException(path, SafetensorsProblem.HeaderLengthBeyondFile,
                $"the header length {length} is above the format's 100 MB limit; this is not a safetensors file or its first 8 bytes are corrupt.");
        if ((long)length + 8 > fileLength)
            throw new SafetensorsFormatException(path, SafetensorsProblem.HeaderLengthBeyondFile,
                $"the header length {length} points past the end of the {fileLength}-byte file; the file is truncated or not a safetensors file.");
        return (long)length;
    }

    /// <summary>Parses and validates the header JSON against the file's total length.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> headerJson, long fileLength, string path)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(headerJson);
        }
        catch (DecoderFallbackException error)
        {
            throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader, "the header is not valid UTF-8.", inner: error);
        }
        JsonDocument document;
        try
        {
            // A tensor named twice would be ambiguous: duplicate keys are a JSON error.
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException error)
        {
            throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader,
                $"the header is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine}): {error.Message}", inner: error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader,
                    "the header must be a JSON object of tensor entries.");
            var tensors = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string>? metadata = null;
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(entry.Name))
                    throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader,
                        $"the header names tensor '{entry.Name}' twice.", entry.Name);
                if (entry.Name == MetadataKey)
                    metadata = ParseMetadata(entry.Value, path);
                else
                    tensors.Add(ParseTensor(entry.Name, entry.Value, path));
            }
            var headerLength = headerJson.Length;
            Validate(tensors, fileLength - 8 - headerLength, path);
            return new SafetensorsHeader(tensors, metadata, headerLength);
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader,
                $"{MetadataKey} must be an object of strings, not {value.ValueKind}.");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
            map[item.Name] = item.Value.ValueKind == JsonValueKind.String
                ? item.Value.GetString()!
                : throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader,
                    $"{MetadataKey}.{item.Name} is {item.Value.GetRawText()}, but metadata values must be strings.");
        return map;
    }

    private static SafetensorsTensorInfo ParseTensor(string name, JsonElement value, string path)
    {
        SafetensorsFormatException Bad(string what) =>
            new(path, SafetensorsProblem.InvalidHeader, $"tensor '{name}': {what}", name);

        if (value.ValueKind != JsonValueKind.Object)
            throw Bad("the entry must be an object {dtype, shape, data_offsets}.");
        if (!value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            throw Bad("missing the string field 'dtype'.");
        var dtypeName = dtypeValue.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
            throw new SafetensorsFormatException(path, SafetensorsProblem.UnknownDType,
                $"tensor '{name}' has unknown dtype '{dtypeName}'; the format defines {string.Join(", ", SafetensorsDTypes.HeaderNames)}.", name);
        if (!value.TryGetProperty("shape", out var shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
            throw Bad("missing the array field 'shape'.");
        var shape = new List<long>();
        foreach (var dim in shapeValue.EnumerateArray())
            shape.Add(dim.ValueKind == JsonValueKind.Number && dim.TryGetInt64(out var d) && d >= 0
                ? d : throw Bad($"shape entry {dim.GetRawText()} is not a non-negative integer."));
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
            throw Bad("missing the field 'data_offsets' = [begin, end].");
        long Offset(JsonElement o) => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out var v) && v >= 0
            ? v
            : throw new SafetensorsFormatException(path, SafetensorsProblem.OffsetsOutOfRange,
                $"tensor '{name}' has data offset {o.GetRawText()}, which is not a non-negative integer.", name);
        return new SafetensorsTensorInfo(name, dtype, shape, Offset(offsets[0]), Offset(offsets[1]));
    }

    private static void Validate(List<SafetensorsTensorInfo> tensors, long dataLength, string path)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expectedBegin = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in tensors)
        {
            if (tensor.End < tensor.Begin)
                throw new SafetensorsFormatException(path, SafetensorsProblem.OffsetsOutOfRange,
                    $"tensor '{tensor.Name}' has data_offsets [{tensor.Begin}, {tensor.End}] with end before begin.", tensor.Name);
            if (tensor.Begin < expectedBegin)
                throw new SafetensorsFormatException(path, SafetensorsProblem.OverlappingOffsets,
                    $"tensor '{tensor.Name}' (bytes {tensor.Begin}..{tensor.End}) overlaps '{previous!.Name}' "
                    + $"(bytes {previous.Begin}..{previous.End}); the header is corrupt.", tensor.Name);
            if (tensor.Begin > expectedBegin)
                throw new SafetensorsFormatException(path, SafetensorsProblem.OffsetsOutOfRange,
                    $"tensor '{tensor.Name}' starts at byte {tensor.Begin} but the previous tensor ends at {expectedBegin}; "
                    + "safetensors data must be contiguous.", tensor.Name);
            long expectedBytes;
            try
            {
                expectedBytes = checked(tensor.ElementCount * tensor.DType.SizeInBytes());
            }
            catch (OverflowException error)
            {
                throw new SafetensorsFormatException(path, SafetensorsProblem.InvalidHeader,
                    $"tensor '{tensor.Name}' has shape {tensor.ShapeText}, too large to address.", tensor.Name, error);
            }
            if (tensor.ByteLength != expectedBytes)
                throw new SafetensorsFormatException(path, SafetensorsProblem.OffsetsOutOfRange,
                    $"tensor '{tensor.Name}' has {tensor.ByteLength} bytes (data_offsets [{tensor.Begin}, {tensor.End}]) but "
                    + $"{tensor.DType.HeaderName()} {tensor.ShapeText} needs {expectedBytes}.", tensor.Name);
            expectedBegin = tensor.End;
            previous = tensor;
        }
        if (expectedBegin > dataLength)
        {
            var cut = tensors.First(t => t.End > dataLength);
            throw new SafetensorsFormatException(path, SafetensorsProblem.Truncated,
                $"the file is truncated: the header describes {expectedBegin} data bytes but the file holds {Math.Max(dataLength, 0)}; "
                + $"tensor '{cut.Name}' (bytes {cut.Begin}..{cut.End}) is cut off. Re-download or re-save the file.", cut.Name);
        }
        if (expectedBegin < dataLength)
            throw new SafetensorsFormatException(path, SafetensorsProblem.OffsetsOutOfRange,
                $"the header describes {expectedBegin} data bytes but the file holds {dataLength}; the last tensor must end at the end of the file.");
    }
}
