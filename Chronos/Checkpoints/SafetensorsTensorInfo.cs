namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// One header entry: name, dtype, shape and the byte range [Begin, End) relative to the start of the data section
/// (just after the 8-byte length and the header).
/// </summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Product of the shape (1 for a scalar of shape []).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => checked(product * dim));

    public long ByteLength => End - Begin;

    /// <summary>"[2, 64]" for messages.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
