namespace Forecast.Core.Series;

/// <summary>
/// Infers the sampling frequency of one series from its distinct, ascending timestamps, tolerating missing
/// timestamps: the step is the most common gap (as pandas' <c>infer_freq</c> but allowing gaps) and every other gap
/// must be a whole multiple of it. Calendar frequencies come first: timestamps that all fall on the last day of
/// their month, or all on the same day of the month, at one time of day, step in months (ME/MS, QE/QS, YE/YS);
/// the rest step in fixed durations (W, D, h, min), the largest unit that divides the step.
/// </summary>
public static class FrequencyInference
{
    /// <summary>Largest number of offending timestamps returned (and named in messages).</summary>
    public const int MaxIrregularReported = 5;

    /// <param name="timestamps">Distinct timestamps in ascending order; at least two.</param>
    /// <param name="frequency">The inferred frequency when the method returns true.</param>
    /// <param name="irregular">When it returns false: the timestamps whose gap to the previous one is not a multiple of the most common gap.</param>
    public static bool TryInfer(ReadOnlySpan<DateTime> timestamps, out Frequency frequency, out DateTime[] irregular)
    {
        if (timestamps.Length < 2) throw new ArgumentException("At least two distinct timestamps are needed to infer a frequency.", nameof(timestamps));
        frequency = default;
        irregular = [];

        if (SameTimeOfDay(timestamps))
        {
            bool monthEnds = true, sameDay = true;
            foreach (var t in timestamps)
            {
                monthEnds &= t.Day == DateTime.DaysInMonth(t.Year, t.Month);
                sameDay &= t.Day == timestamps[0].Day;
            }
            // Days 29-31 are not in every month: a series on the 31st is a month-end series, not "same day".
            if (monthEnds && timestamps[0].Day >= 28 || sameDay && timestamps[0].Day <= 28)
            {
                var months = new long[timestamps.Length - 1];
                for (int i = 1; i < timestamps.Length; i++) months[i - 1] = MonthIndex(timestamps[i]) - MonthIndex(timestamps[i - 1]);
                if (!TryStep(months, timestamps, out long stepMonths, out irregular)) return false;
                bool end = monthEnds && !(sameDay && timestamps[0].Day < 28);
                frequency = stepMonths % 12 == 0 ? new Frequency(end ? FrequencyUnit.YearEnd : FrequencyUnit.YearStart, (int)(stepMonths / 12))
                    : stepMonths % 3 == 0 ? new Frequency(end ? FrequencyUnit.QuarterEnd : FrequencyUnit.QuarterStart, (int)(stepMonths / 3))
                    : new Frequency(end ? FrequencyUnit.MonthEnd : FrequencyUnit.MonthStart, (int)stepMonths);
                return true;
            }
        }

        var gaps = new long[timestamps.Length - 1];
        for (int i = 1; i < timestamps.Length; i++) gaps[i - 1] = timestamps[i].Ticks - timestamps[i - 1].Ticks;
        if (!TryStep(gaps, timestamps, out long step, out irregular)) return false;
        if (step % (TimeSpan.TicksPerDay * 7) == 0) { frequency = new Frequency(FrequencyUnit.Week, Multiple(step / (TimeSpan.TicksPerDay * 7))); return true; }
        if (step % TimeSpan.TicksPerDay == 0) { frequency = new Frequency(FrequencyUnit.Day, Multiple(step / TimeSpan.TicksPerDay)); return true; }
        if (step % TimeSpan.TicksPerHour == 0) { frequency = new Frequency(FrequencyUnit.Hour, Multiple(step / TimeSpan.TicksPerHour)); return true; }
        if (step % TimeSpan.TicksPerMinute == 0) { frequency = new Frequency(FrequencyUnit.Minute, Multiple(step / TimeSpan.TicksPerMinute)); return true; }

        // Sub-minute steps have no frequency unit here: report where the seconds appear.
        var offending = new List<DateTime>();
        for (int i = 1; i < timestamps.Length && offending.Count < MaxIrregularReported; i++)
            if (gaps[i - 1] % TimeSpan.TicksPerMinute != 0) offending.Add(timestamps[i]);
        irregular = [.. offending];
        return false;
    }

    /// <summary>The most common gap (the smaller on ties); false, with the offenders, when some gap is not a multiple of it.</summary>
    private static bool TryStep(long[] gaps, ReadOnlySpan<DateTime> timestamps, out long step, out DateTime[] irregular)
    {
        var counts = new Dictionary<long, int>();
        foreach (long g in gaps) counts[g] = counts.GetValueOrDefault(g) + 1;
        step = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
        var offending = new List<DateTime>();
        for (int i = 0; i < gaps.Length && offending.Count < MaxIrregularReported; i++)
            if (gaps[i] % step != 0) offending.Add(timestamps[i + 1]);
        irregular = [.. offending];
        return offending.Count == 0;
    }

    private static bool SameTimeOfDay(ReadOnlySpan<DateTime> timestamps)
    {
        foreach (var t in timestamps) if (t.TimeOfDay != timestamps[0].TimeOfDay) return false;
        return true;
    }

    private static long MonthIndex(DateTime t) => t.Year * 12L + t.Month - 1;

    private static int Multiple(long n) => n <= int.MaxValue ? (int)n : throw new ArgumentOutOfRangeException(nameof(n), n, "The step is too large for a frequency multiple.");
}
