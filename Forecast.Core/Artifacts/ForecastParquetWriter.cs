using Forecast.Core.Models;
using Parquet;
using Parquet.Schema;

namespace Forecast.Core.Artifacts;

/// <summary>Writes forecasts as Parquet with the columns of <see cref="ForecastCsvWriter"/>: unique_id (string), ds (UTC timestamp), mean, q0.1 ... (double).</summary>
public static class ForecastParquetWriter
{
    public static async Task<byte[]> WriteAsync(IReadOnlyList<SeriesForecast> forecasts, IReadOnlyList<double> quantileLevels, CancellationToken cancellationToken = default)
    {
        int rows = forecasts.Sum(f => f.Mean.Length);
        var ids = new string[rows];
        var times = new DateTime[rows];
        var mean = new double[rows];
        var quantiles = quantileLevels.Select(_ => new double[rows]).ToArray();
        int r = 0;
        foreach (var f in forecasts)
        {
            for (int h = 0; h < f.Mean.Length; h++, r++)
            {
                ids[r] = f.Id;
                times[r] = DateTime.SpecifyKind(f.Timestamps[h], DateTimeKind.Utc);
                mean[r] = f.Mean[h];
                for (int q = 0; q < quantiles.Length; q++) quantiles[q][r] = f.Quantiles[q][h];
            }
        }

        var idField = new DataField<string>(ForecastColumns.Id);
        var timeField = new DataField<DateTime>(ForecastColumns.Time);
        var meanField = new DataField<double>(ForecastColumns.Mean);
        var quantileFields = quantileLevels.Select(l => new DataField<double>(ForecastColumns.Quantile(l))).ToArray();
        var schema = new ParquetSchema([idField, timeField, meanField, .. quantileFields]);

        using var buffer = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, buffer, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(idField, ids).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(timeField, times, cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(meanField, mean, cancellationToken: cancellationToken).ConfigureAwait(false);
            for (int q = 0; q < quantileFields.Length; q++)
                await group.WriteAsync<double>(quantileFields[q], quantiles[q], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return buffer.ToArray();
    }
}
