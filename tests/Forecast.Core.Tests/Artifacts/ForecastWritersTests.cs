using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Core.Models;
using Parquet;

namespace Forecast.Core.Tests.Artifacts;

public class ForecastWritersTests
{
    private static readonly SeriesForecast Hourly = new("a,b", [new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 1, 1, 0, 0, DateTimeKind.Utc)],
        [1.5, 2], [0.1, 0.9], [[1, 1.25], [2, 3]]);

    [Fact]
    public void CsvHasOneColumnPerQuantileAndQuotesIds()
    {
        string csv = Encoding.UTF8.GetString(ForecastCsvWriter.Write([Hourly], [0.1, 0.9]));
        csv.Should().Be("unique_id,ds,mean,q0.1,q0.9\n\"a,b\",2024-01-01 00:00:00,1.5,1,2\n\"a,b\",2024-01-01 01:00:00,2,1.25,3\n");
    }

    [Fact]
    public void EvaluationCsvCarriesWindowAndActuals()
    {
        var daily = Hourly with { Id = "s", Timestamps = [new DateTime(2024, 1, 1), new DateTime(2024, 1, 2)] };
        string csv = Encoding.UTF8.GetString(ForecastCsvWriter.Write([(0, [daily], [new[] { 1.0, double.NaN }])], [0.1, 0.9]));
        csv.Should().Be("unique_id,window,ds,y,mean,q0.1,q0.9\ns,0,2024-01-01,1,1.5,1,2\ns,0,2024-01-02,,2,1.25,3\n");
    }

    [Fact]
    public async Task ParquetRoundTrips()
    {
        byte[] bytes = await ForecastParquetWriter.WriteAsync([Hourly], [0.1, 0.9]);
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        fields.Select(f => f.Name).Should().Equal("unique_id", "ds", "mean", "q0.1", "q0.9");
        using var group = reader.OpenRowGroupReader(0);
        var ids = new string[2];
        await group.ReadAsync(fields[0], ids.AsMemory()!);
        var q90 = new double[2];
        await group.ReadAsync(fields[4], q90.AsMemory());
        ids.Should().Equal("a,b", "a,b");
        q90.Should().Equal(2, 3);
    }
}
