using System.Globalization;
using Forecast.Prophet;

namespace Forecast.Trainer.Models;

/// <summary>
/// Reads <c>model.prophet.holidays.table</c>: prophet's holidays data frame as CSV with a header
/// <c>holiday,ds[,lower_window,upper_window,prior_scale]</c> (forecaster.py: the <c>holidays</c> argument). Errors
/// name the file, line and field.
/// </summary>
public static class ProphetHolidayTable
{
    public static IReadOnlyList<HolidayEvent> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: the holidays table (model.prophet.holidays.table) does not exist; give a CSV with columns holiday, ds[, lower_window, upper_window, prior_scale].", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
            throw new FormatException($"{path}:1: the holidays table is empty; expected a header holiday,ds[,lower_window,upper_window,prior_scale].");
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        int name = Column(header, "holiday", path, required: true);
        int ds = Column(header, "ds", path, required: true);
        int lower = Column(header, "lower_window", path, required: false);
        int upper = Column(header, "upper_window", path, required: false);
        int scale = Column(header, "prior_scale", path, required: false);
        var events = new List<HolidayEvent>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var cells = lines[i].Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != header.Length)
                throw new FormatException($"{path}:{i + 1}: {cells.Length} fields where the header has {header.Length}.");
            if (cells[name].Length == 0)
                throw new FormatException($"{path}:{i + 1}: field 'holiday' is empty; name the holiday.");
            var date = ProphetFrame.ParseDate(cells[ds])
                ?? throw new FormatException($"{path}:{i + 1}: field 'ds' = '{cells[ds]}' is not a date (yyyy-MM-dd).");
            events.Add(new HolidayEvent(cells[name], date,
                lower < 0 ? 0 : Int(cells[lower], path, i, "lower_window"),
                upper < 0 ? 0 : Int(cells[upper], path, i, "upper_window"),
                scale < 0 || cells[scale].Length == 0 ? null : Double(cells[scale], path, i, "prior_scale")));
        }
        return events;
    }

    private static int Column(string[] header, string name, string path, bool required)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0 && required)
            throw new FormatException($"{path}:1: the holidays table has no '{name}' column; the header must hold holiday,ds[,lower_window,upper_window,prior_scale].");
        return index;
    }

    private static int Int(string text, string path, int line, string field) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{path}:{line + 1}: field '{field}' = '{text}' is not a whole number.");

    private static double Double(string text, string path, int line, string field) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
            ? value
            : throw new FormatException($"{path}:{line + 1}: field '{field}' = '{text}' must be a number > 0.");
}
