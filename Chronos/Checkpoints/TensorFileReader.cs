using static TorchSharp.torch;

namespace Forecast.Chronos.Checkpoints;

/// <summary>Reads every tensor of a weights file (model.safetensors) by name.</summary>
public delegate IReadOnlyDictionary<string, Tensor> TensorFileReader(string path);
