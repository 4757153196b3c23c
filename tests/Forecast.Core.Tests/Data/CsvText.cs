using System.Text;
using Forecast.Core.Data;

namespace Forecast.Core.Tests.Data;

/// <summary>Loads CSV text given inline, through the same stream entry point S3 will use.</summary>
internal static class CsvText
{
    public static Task<LoadedData> LoadAsync(string csv, DataOptions? options = null, string fileName = "inline.csv")
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return SeriesLoader.LoadAsync(stream, fileName, options ?? new DataOptions());
    }
}
