using System.Globalization;

namespace Forecast.Prophet;

/// <summary>
/// Step of <see cref="Prophet.MakeFutureDataFrame"/>: a fixed duration (R: a number of seconds, 'day', 'week';
/// pandas 'D', 'H', 'W', 'min', 'S') or calendar months (R 'month', 'quarter', 'year'; pandas 'MS', 'QS', 'YS')
/// or month ends (pandas 'M'/'ME', a classic pitfall for data stamped on the 1st; spec §13).
/// </summary>
public sealed record FutureFrequency
{
    private FutureFrequency(TimeSpan step, int months, bool monthEnd)
    {
        Step = step;
        Months = months;
        MonthEnd = monthEnd;
    }

    public TimeSpan Step { get; }

    public int Months { get; }

    public bool MonthEnd { get; }

    public static FutureFrequency Day { get; } = Every(TimeSpan.FromDays(1));

    public static FutureFrequency Hour { get; } = Every(TimeSpan.FromHours(1));

    public static FutureFrequency Week { get; } = Every(TimeSpan.FromDays(7));

    public static FutureFrequency Month { get; } = CalendarMonths(1);

    public static FutureFrequency Quarter { get; } = CalendarMonths(3);

    public static FutureFrequency Year { get; } = CalendarMonths(12);

    public static FutureFrequency MonthEnds { get; } = new(TimeSpan.Zero, 1, monthEnd: true);

    public static FutureFrequency Every(TimeSpan step)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "A future frequency step must be positive.");
        }

        return new FutureFrequency(step, 0, monthEnd: false);
    }

    public static FutureFrequency CalendarMonths(int months)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        return new FutureFrequency(TimeSpan.Zero, months, monthEnd: false);
    }

    /// <summary>
    /// Parses R prophet ('day', 'week', 'month', 'quarter', 'year', a number of seconds) and pandas aliases
    /// ('D', 'H'/'h', 'W', 'MS', 'M'/'ME', 'QS', 'YS'/'AS', 'min'/'T', 'S'/'s', with an optional count as in '15min').
    /// </summary>
    public static FutureFrequency Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Every(TimeSpan.FromSeconds(seconds));
        }

        var digits = 0;
        while (digits < trimmed.Length && char.IsDigit(trimmed[digits]))
        {
            digits++;
        }

        var count = digits > 0 ? int.Parse(trimmed[..digits], CultureInfo.InvariantCulture) : 1;
        var unit = trimmed[digits..];
        return unit switch
        {
            "D" or "d" or "day" or "days" => Every(TimeSpan.FromDays(count)),
            "H" or "h" or "hour" or "hours" => Every(TimeSpan.FromHours(count)),
            "W" or "w" or "week" or "weeks" => Every(TimeSpan.FromDays(7 * count)),
            "min" or "T" or "minute" or "minutes" => Every(TimeSpan.FromMinutes(count)),
            "S" or "s" or "sec" or "second" or "seconds" => Every(TimeSpan.FromSeconds(count)),
            "MS" or "month" or "months" or "m" => CalendarMonths(count),
            "M" or "ME" => count == 1 ? MonthEnds : throw new FormatException($"Frequency '{text}': month ends support a count of 1 only."),
            "QS" or "quarter" or "quarters" => CalendarMonths(3 * count),
            "YS" or "AS" or "year" or "years" => CalendarMonths(12 * count),
            _ => throw new FormatException(
                $"Unknown frequency '{text}'. Use 'D', 'H', 'W', 'min', 'S', 'MS', 'M', 'QS', 'YS' (optionally with a count, e.g. '15min'), R's 'day'/'week'/'month'/'quarter'/'year', or a number of seconds."),
        };
    }

    /// <summary>The <paramref name="periods"/> dates after <paramref name="last"/>.</summary>
    public IEnumerable<DateTime> After(DateTime last, int periods)
    {
        for (var i = 1; i <= periods; i++)
        {
            if (MonthEnd)
            {
                // pandas 'M': the i-th month end strictly after last.
                var endOfThisMonth = new DateTime(last.Year, last.Month, DateTime.DaysInMonth(last.Year, last.Month)).Add(last.TimeOfDay);
                var firstEnd = endOfThisMonth > last ? endOfThisMonth : EndOfMonth(last.AddMonths(1), last.TimeOfDay);
                yield return EndOfMonth(firstEnd.AddMonths(i - 1), last.TimeOfDay);
            }
            else if (Months > 0)
            {
                yield return last.AddMonths(Months * i);
            }
            else
            {
                yield return last + (Step * i);
            }
        }
    }

    private static DateTime EndOfMonth(DateTime date, TimeSpan timeOfDay) =>
        new DateTime(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)).Add(timeOfDay);
}
