using System.Text;
using Forecast.Core.Data;

namespace Forecast.Core.Artifacts;

/// <summary>The CSV tokenizer of the run artifacts the readers parse back (forecast tables, model/auto/selection.csv).</summary>
internal static class CsvRecords
{
    /// <summary>
    /// RFC 4180 records (quoted fields may hold commas, quotes and line breaks) with their 1-based line numbers. Plain
    /// fields are cut with a vectorised search for the next delimiter, so a file of 100,000 rows parses in one pass
    /// without a per-character builder; blank lines are skipped.
    /// </summary>
    public static List<(int Line, List<string> Fields)> Read(string text, string file)
    {
        var records = new List<(int, List<string>)>();
        int i = 0, line = 1, n = text.Length;
        int NextDelimiter(int from)
        {
            int k = text.AsSpan(from).IndexOfAny(',', '\r', '\n');
            return k < 0 ? n : from + k;
        }
        while (i < n)
        {
            int recordLine = line;
            var fields = new List<string>();
            while (true)
            {
                string field;
                if (i < n && text[i] == '"')
                {
                    var quoted = new StringBuilder();
                    i++;
                    while (true)
                    {
                        int quote = text.IndexOf('"', i);
                        if (quote < 0) throw new DataException("a quoted field is not closed before the end of the file.", file, recordLine);
                        var chunk = text.AsSpan(i, quote - i);
                        line += chunk.Count('\n');
                        quoted.Append(chunk);
                        if (quote + 1 < n && text[quote + 1] == '"') { quoted.Append('"'); i = quote + 2; continue; }
                        i = quote + 1;
                        break;
                    }
                    int stop = NextDelimiter(i); // tolerate text after the closing quote, as the old reader did
                    field = stop > i ? quoted.Append(text, i, stop - i).ToString() : quoted.ToString();
                    i = stop;
                }
                else
                {
                    int stop = NextDelimiter(i);
                    field = text.Substring(i, stop - i);
                    i = stop;
                }
                fields.Add(field);
                if (i < n && text[i] == ',') { i++; continue; }
                if (i < n && text[i] == '\r') i++;
                if (i < n && text[i] == '\n') { i++; line++; }
                break;
            }
            if (fields.Count > 1 || fields[0].Length > 0) records.Add((recordLine, fields));
        }
        return records;
    }
}
