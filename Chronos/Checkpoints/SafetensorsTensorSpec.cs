namespace Forecast.Chronos.Checkpoints;

/// <summary>A tensor to write: its name, dtype and shape (the bytes come from a <see cref="TensorDataWriter"/>).</summary>
public sealed record SafetensorsTensorSpec(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape)
{
    public long ByteLength => Shape.Aggregate(1L, (product, dim) => checked(product * dim)) * DType.SizeInBytes();
}

/// <summary>Writes exactly the bytes of <paramref name="tensor"/> (little-endian, C order) to <paramref name="destination"/>.</summary>
public delegate void TensorDataWriter(SafetensorsTensorSpec tensor, Stream destination);
