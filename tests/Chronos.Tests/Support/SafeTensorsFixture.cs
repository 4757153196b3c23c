using Forecast.Chronos.Checkpoints;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Support;

/// <summary>Reads the golden safetensors fixtures with the library's reader (Chronos/Checkpoints), in their stored dtypes.</summary>
internal static class SafeTensorsFixture
{
    public static Dictionary<string, Tensor> Read(string path) => SafetensorsTorch.ReadAll(path, floatingDType: null);
}
