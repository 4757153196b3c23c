namespace Forecast.Chronos.Checkpoints;

/// <summary>The header spelling ("F32", "BF16", ...) and element size of each <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypes
{
    private static readonly (SafetensorsDType DType, string Name, int Size)[] Table =
    [
        (SafetensorsDType.Bool, "BOOL", 1),
        (SafetensorsDType.UInt8, "U8", 1),
        (SafetensorsDType.Int8, "I8", 1),
        (SafetensorsDType.Float8E5M2, "F8_E5M2", 1),
        (SafetensorsDType.Float8E4M3, "F8_E4M3", 1),
        (SafetensorsDType.Int16, "I16", 2),
        (SafetensorsDType.UInt16, "U16", 2),
        (SafetensorsDType.Float16, "F16", 2),
        (SafetensorsDType.BFloat16, "BF16", 2),
        (SafetensorsDType.Int32, "I32", 4),
        (SafetensorsDType.UInt32, "U32", 4),
        (SafetensorsDType.Float32, "F32", 4),
        (SafetensorsDType.Float64, "F64", 8),
        (SafetensorsDType.Int64, "I64", 8),
        (SafetensorsDType.UInt64, "U64", 8),
    ];

    private static readonly Dictionary<string, SafetensorsDType> ByName =
        Table.ToDictionary(row => row.Name, row => row.DType, StringComparer.Ordinal);

    /// <summary>Bytes per element.</summary>
    public static int SizeInBytes(this SafetensorsDType dtype) => Table[(int)dtype].Size;

    /// <summary>The string written in the header's "dtype" field.</summary>
    public static string HeaderName(this SafetensorsDType dtype) => Table[(int)dtype].Name;

    /// <summary>Parses a header "dtype" field (case-sensitive, as the format is).</summary>
    public static bool TryParse(string name, out SafetensorsDType dtype) => ByName.TryGetValue(name, out dtype);

    /// <summary>Every dtype string the format defines, for error messages.</summary>
    public static IEnumerable<string> HeaderNames => Table.Select(row => row.Name);
}
