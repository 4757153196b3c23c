using System.Globalization;

namespace Forecast.Core.Series;

/// <summary>
/// A regular sampling frequency: a calendar unit times a positive multiple (15min, 2h, D, W, MS, QE, ...).
/// Aliases follow pandas offset aliases so that users of statsforecast and Chronos recognise them.
/// </summary>
public readonly record struct Frequency(FrequencyUnit Unit, int Multiple = 1)
{
    public static Frequency Minutes(int n) => new(FrequencyUnit.Minute, n);
    public static Frequency Hourly => new(FrequencyUnit.Hour);
    public static Frequency Daily => new(FrequencyUnit.Day);
    public static Frequency Weekly => new(FrequencyUnit.Week);
    public static Frequency MonthlyStart => new(FrequencyUnit.MonthStart);
    public static Frequency MonthlyEnd => new(FrequencyUnit.MonthEnd);
    public static Frequency QuarterlyStart => new(FrequencyUnit.QuarterStart);
    public static Frequency QuarterlyEnd => new(FrequencyUnit.QuarterEnd);
    public static Frequency YearlyStart => new(FrequencyUnit.YearStart);
    public static Frequency YearlyEnd => new(FrequencyUnit.YearEnd);

    /// <summary>The timestamp <paramref name="steps"/> periods after <paramref name="t"/> (negative steps go back).</summary>
    public DateTime Add(DateTime t, long steps)
    {
        long n = steps * Multiple;
        return Unit switch
        {
            FrequencyUnit.Minute => t.AddMinutes(n),
            FrequencyUnit.Hour => t.AddHours(n),
            FrequencyUnit.Day => t.AddDays(n),
            FrequencyUnit.Week => t.AddDays(7 * n),
            FrequencyUnit.MonthStart => t.AddMonths(checked((int)n)),
            FrequencyUnit.MonthEnd => EndOfMonth(t.AddMonths(checked((int)n))),
            FrequencyUnit.QuarterStart => t.AddMonths(checked((int)(3 * n))),
            FrequencyUnit.QuarterEnd => EndOfMonth(t.AddMonths(checked((int)(3 * n)))),
            FrequencyUnit.YearStart => t.AddYears(checked((int)n)),
            FrequencyUnit.YearEnd => EndOfMonth(t.AddYears(checked((int)n))),
            _ => throw new InvalidOperationException($"Unknown frequency unit {Unit}."),
        };
    }

    /// <summary>The <paramref name="count"/> timestamps that follow <paramref name="last"/>.</summary>
    public DateTime[] Following(DateTime last, int count)
    {
        var result = new DateTime[count];
        for (int i = 0; i < count; i++) result[i] = Add(last, i + 1);
        return result;
    }

    /// <summary>
    /// The season length conventionally used for this frequency (as in statsforecast / the Chronos benchmark):
    /// hourly 24, daily 7, weekly 1, monthly 12, quarterly 4, yearly 1, minutes: one day.
    /// </summary>
    public int DefaultSeasonLength => Unit switch
    {
        FrequencyUnit.Minute => Math.Max(1, 24 * 60 / Multiple),
        FrequencyUnit.Hour => Multiple <= 24 && 24 % Multiple == 0 ? 24 / Multiple : 1,
        FrequencyUnit.Day => Multiple == 1 ? 7 : 1,
        FrequencyUnit.Week => 1,
        FrequencyUnit.MonthStart or FrequencyUnit.MonthEnd => Multiple <= 12 && 12 % Multiple == 0 ? 12 / Multiple : 1,
        FrequencyUnit.QuarterStart or FrequencyUnit.QuarterEnd => Multiple == 1 ? 4 : 1,
        _ => 1,
    };

    /// <summary>The pandas offset alias: "15min", "h", "D", "W", "MS", "ME", "QS", "QE", "YS", "YE".</summary>
    public override string ToString()
    {
        string alias = Unit switch
        {
            FrequencyUnit.Minute => "min",
            FrequencyUnit.Hour => "h",
            FrequencyUnit.Day => "D",
            FrequencyUnit.Week => "W",
            FrequencyUnit.MonthStart => "MS",
            FrequencyUnit.MonthEnd => "ME",
            FrequencyUnit.QuarterStart => "QS",
            FrequencyUnit.QuarterEnd => "QE",
            FrequencyUnit.YearStart => "YS",
            FrequencyUnit.YearEnd => "YE",
            _ => Unit.ToString(),
        };
        return Multiple == 1 ? alias : Multiple.ToString(CultureInfo.InvariantCulture) + alias;
    }

    /// <summary>Parses a pandas-style alias ("15min", "30T", "H", "h", "D", "W", "MS", "M", "ME", "QS", "Q", "QE", "YS", "AS", "Y", "A", "YE").</summary>
    public static Frequency Parse(string text)
    {
        if (TryParse(text, out var f)) return f;
        throw new FormatException($"'{text}' is not a known frequency; use a pandas alias such as 15min, h, D, W, MS, ME, QS, QE, YS or YE.");
    }

    public static bool TryParse(string? text, out Frequency frequency)
    {
        frequency = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        int i = 0;
        while (i < s.Length && char.IsDigit(s[i])) i++;
        int multiple = 1;
        if (i > 0 && (!int.TryParse(s[..i], NumberStyles.None, CultureInfo.InvariantCulture, out multiple) || multiple <= 0)) return false;
        FrequencyUnit? unit = s[i..] switch
        {
            "min" or "T" or "Min" => FrequencyUnit.Minute,
            "h" or "H" => FrequencyUnit.Hour,
            "D" or "d" => FrequencyUnit.Day,
            "W" or "w" => FrequencyUnit.Week,
            "MS" => FrequencyUnit.MonthStart,
            "M" or "ME" => FrequencyUnit.MonthEnd,
            "QS" => FrequencyUnit.QuarterStart,
            "Q" or "QE" => FrequencyUnit.QuarterEnd,
            "YS" or "AS" => FrequencyUnit.YearStart,
            "Y" or "A" or "YE" => FrequencyUnit.YearEnd,
            _ => null,
        };
        if (unit is null) return false;
        frequency = new Frequency(unit.Value, multiple);
        return true;
    }

    private static DateTime EndOfMonth(DateTime t) =>
        new DateTime(t.Year, t.Month, DateTime.DaysInMonth(t.Year, t.Month), t.Hour, t.Minute, t.Second, t.Kind);
}
