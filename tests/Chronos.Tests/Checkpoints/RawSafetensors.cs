using System.Buffers.Binary;
using System.Text;

namespace Forecast.Chronos.Tests.Checkpoints;

/// <summary>Builds safetensors bytes by hand (header text as given), to test the reader on malformed files.</summary>
internal static class RawSafetensors
{
    public static byte[] Build(string headerJson, int dataLength)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (var i = 0; i < dataLength; i++)
            bytes[8 + header.Length + i] = (byte)i;
        return bytes;
    }

    public static string Write(TempFolder folder, string headerJson, int dataLength, string name = "model.safetensors")
    {
        var path = folder.File(name);
        File.WriteAllBytes(path, Build(headerJson, dataLength));
        return path;
    }
}
