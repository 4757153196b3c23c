namespace Forecast.Prophet;

/// <summary>Copies for cross-validation (diagnostics.py: <c>prophet_copy</c>).</summary>
public sealed partial class Prophet
{
    /// <summary>
    /// An unfitted model with this model's options, its fitted seasonalities (built-in ones switched off so they are
    /// not re-derived), regressors and country holidays; explicit changepoints are kept only before the last history
    /// date at or before <paramref name="cutoff"/>.
    /// </summary>
    public Prophet CopyForCutoff(DateTime? cutoff = null)
    {
        if (History is null)
        {
            throw new InvalidOperationException("This is for copying a fitted Prophet object.");
        }

        IReadOnlyList<DateTime>? changepoints = null;
        if (Options.Changepoints is not null)
        {
            changepoints = Changepoints;
            if (cutoff is { } c)
            {
                var lastHistoryDate = History.Ds.Where(d => d <= c).DefaultIfEmpty(DateTime.MinValue).Max();
                changepoints = changepoints.Where(d => d < lastHistoryDate).ToList();
            }
        }

        var copy = new Prophet(Options with
        {
            NChangepoints = NChangepoints,
            Changepoints = changepoints,
            YearlySeasonality = false,
            WeeklySeasonality = false,
            DailySeasonality = false,
        });
        foreach (var s in Seasonalities)
        {
            copy._seasonalityOrder.Add(s.Name);
            copy._seasonalities[s.Name] = s;
        }

        foreach (var r in ExtraRegressors)
        {
            copy._regressorOrder.Add(r.Name);
            copy._extraRegressors[r.Name] = r with { Mu = 0, Std = 1 };
        }

        copy.CountryHolidays = CountryHolidays;
        return copy;
    }
}
