using Forecast.Chronos.Loading;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Support;

/// <summary>Reads the golden safetensors fixtures with the library's reader (Chronos/Checkpoints).</summary>
internal static class SafeTensorsFixture
{
    public static Dictionary<string, Tensor> Read(string path) => new(SafetensorsTensors.ReadAll(path));
}
