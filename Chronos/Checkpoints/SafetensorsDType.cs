namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Element types of the safetensors format. The declaration order is the format's own (huggingface/safetensors
/// safetensors/src/tensor.rs, enum Dtype, "in increasing alignment order"): the writer sorts tensors by it, so it
/// must not be reordered.
/// </summary>
public enum SafetensorsDType
{
    Bool,
    UInt8,
    Int8,
    Float8E5M2,
    Float8E4M3,
    Int16,
    UInt16,
    Float16,
    BFloat16,
    Int32,
    UInt32,
    Float32,
    Float64,
    Int64,
    UInt64,
}
