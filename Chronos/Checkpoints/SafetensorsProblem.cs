namespace Forecast.Chronos.Checkpoints;

/// <summary>What is wrong with a safetensors file; one value per named error of <see cref="SafetensorsFormatException"/>.</summary>
public enum SafetensorsProblem
{
    /// <summary>Fewer bytes than the 8-byte header length, or fewer data bytes than the header describes.</summary>
    Truncated,

    /// <summary>The 8-byte little-endian header length points past the end of the file (or above the 100 MB limit).</summary>
    HeaderLengthBeyondFile,

    /// <summary>The header is not UTF-8 JSON of the expected shape (an object of {dtype, shape, data_offsets}).</summary>
    InvalidHeader,

    /// <summary>A dtype string the format does not define.</summary>
    UnknownDType,

    /// <summary>Two tensors' byte ranges overlap.</summary>
    OverlappingOffsets,

    /// <summary>A byte range that is reversed, leaves a gap, does not match dtype × shape, or ends before the file does.</summary>
    OffsetsOutOfRange,
}
