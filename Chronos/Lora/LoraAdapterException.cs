using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.Lora;

/// <summary>
/// A LoRA adapter that cannot be used: adapter_config.json missing, malformed or of another kind (peft_type, DoRA,
/// biases), a tensor missing, or one whose shape does not fit the model (an adapter trained for another base model);
/// the message names the file and the tensor or field.
/// </summary>
public sealed class LoraAdapterException(string path, string message, Exception? inner = null) : CheckpointException(path, message, inner);
