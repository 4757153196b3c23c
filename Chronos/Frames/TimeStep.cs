namespace Forecast.Chronos.Frames;

/// <summary>
/// The regular spacing of a series' timestamps, to date its forecast (base.py: make_future_df, which infers a pandas
/// frequency): a fixed duration (minutes, hours, days, weeks) or a number of calendar months (months, quarters,
/// years), month ends kept as month ends.
/// </summary>
public readonly record struct TimeStep
{
    private TimeStep(TimeSpan span, int months) => (Span, Months) = (span, months);

    /// <summary>The fixed duration between timestamps, or zero for calendar steps.</summary>
    public TimeSpan Span { get; }

    /// <summary>Calendar months between timestamps (3 = quarterly, 12 = yearly), or zero for fixed durations.</summary>
    public int Months { get; }

    public static TimeStep Fixed(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(span), span, "A time step must be positive.");
        return new TimeStep(span, 0);
    }

    public static TimeStep Calendar(int months)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        return new TimeStep(TimeSpan.Zero, months);
    }

    /// <summary>
    /// <paramref name="steps"/> steps after <paramref name="start"/>; calendar steps from a month end land on month ends
    /// when <paramref name="monthEnds"/> (the series is month-end aligned).
    /// </summary>
    public DateTime After(DateTime start, int steps, bool monthEnds = false)
    {
        if (Months == 0)
            return start + Span * steps;
        var shifted = start.AddMonths(Months * steps);
        return monthEnds
            ? new DateTime(shifted.Year, shifted.Month, DateTime.DaysInMonth(shifted.Year, shifted.Month), 0, 0, 0, shifted.Kind) + shifted.TimeOfDay
            : shifted;
    }

    /// <summary>
    /// The step of sorted, distinct timestamps when they are regular: every gap the same duration, or the same number
    /// of calendar months at the same day of the month (or all month ends) and time of day. Null when irregular or
    /// fewer than two timestamps.
    /// </summary>
    public static TimeStep? Infer(IReadOnlyList<DateTime> sorted)
    {
        if (sorted.Count < 2)
            return null;
        var span = sorted[1] - sorted[0];
        // Gaps of four weeks or more are read as calendar months first: 365-day or 91-day gaps can be years or quarters
        // that happen to skip no leap day.
        if (span >= TimeSpan.FromDays(28) && InferCalendar(sorted) is { } calendar)
            return calendar;
        if (span > TimeSpan.Zero && Enumerable.Range(1, sorted.Count - 1).All(i => sorted[i] - sorted[i - 1] == span))
            return Fixed(span);
        return null;
    }

    private static TimeStep? InferCalendar(IReadOnlyList<DateTime> sorted)
    {
        var months = (sorted[1].Year - sorted[0].Year) * 12 + sorted[1].Month - sorted[0].Month;
        if (months < 1)
            return null;
        var step = Calendar(months);
        var monthEnds = IsMonthEnd(sorted);
        for (var i = 1; i < sorted.Count; i++)
            if (step.After(sorted[i - 1], 1, monthEnds) != sorted[i])
                return null;
        return step;
    }

    /// <summary>True when every timestamp is the last day of its month (then calendar steps keep month ends).</summary>
    public static bool IsMonthEnd(IReadOnlyList<DateTime> timestamps) =>
        timestamps.All(t => t.Day == DateTime.DaysInMonth(t.Year, t.Month));

    public override string ToString() => Months > 0 ? $"{Months} month(s)" : Span.ToString();
}
