using System.Buffers;

namespace Forecast.Core.Artifacts;

/// <summary>
/// A forecast CSV writes times as dates when every time in the file is midnight (<see cref="ForecastColumns.TimeFormat"/>).
/// Shards decide that over their own series; when one shard wrote dates and another date-times, the merge rewrites the
/// date rows as date-times at midnight, which is what one process writing all series would have written.
/// </summary>
public static class ForecastCsvTimes
{
    private static readonly byte[] Midnight = " 00:00:00"u8.ToArray();

    /// <summary>
    /// Copies whole rows of <see cref="ForecastCsvWriter"/> output (<c>unique_id[,window],ds,…</c>) with each
    /// yyyy-MM-dd <c>ds</c> widened to yyyy-MM-dd 00:00:00.
    /// </summary>
    /// <exception cref="InvalidDataException">A row does not have that shape.</exception>
    public static void WidenDates(ReadOnlySpan<byte> rows, bool withWindow, IBufferWriter<byte> output)
    {
        while (!rows.IsEmpty)
        {
            int at = SkipField(rows, 0, quoted: true);
            if (withWindow) at = SkipField(rows, at, quoted: false);
            int dateEnd = at + ForecastColumns.DateFormat.Length;
            if (dateEnd > rows.Length || (dateEnd < rows.Length && rows[dateEnd] is not ((byte)',' or (byte)'\n')))
                throw new InvalidDataException("A forecast CSV row does not have a yyyy-MM-dd time where one was expected.");
            int lineEnd = rows[dateEnd..].IndexOf((byte)'\n');
            lineEnd = lineEnd < 0 ? rows.Length : dateEnd + lineEnd + 1;
            output.Write(rows[..dateEnd]);
            output.Write(Midnight);
            output.Write(rows[dateEnd..lineEnd]);
            rows = rows[lineEnd..];
        }
    }

    /// <summary>The offset after the field starting at <paramref name="start"/> and its comma (RFC 4180 quotes for text fields).</summary>
    private static int SkipField(ReadOnlySpan<byte> row, int start, bool quoted)
    {
        int i = start;
        if (quoted && i < row.Length && row[i] == '"')
        {
            for (i++; i < row.Length; i++)
            {
                if (row[i] != '"') continue;
                if (i + 1 < row.Length && row[i + 1] == '"') { i++; continue; }
                i++;
                break;
            }
        }
        else
        {
            while (i < row.Length && row[i] != ',' && row[i] != '\n') i++;
        }
        if (i >= row.Length || row[i] != ',') throw new InvalidDataException("A forecast CSV row ends before its time column.");
        return i + 1;
    }
}
