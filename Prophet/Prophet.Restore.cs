namespace Forecast.Prophet;

/// <summary>Rebuilding a fitted model from its saved state (used by <see cref="ProphetSerializer"/>).</summary>
public sealed partial class Prophet
{
    /// <summary>The fitted state prophet's JSON format carries.</summary>
    internal sealed record RestoredState(
        double YScale,
        double YMin,
        bool LogisticFloor,
        DateTime Start,
        TimeSpan TScale,
        DateTime[] Changepoints,
        double[] ChangepointsT,
        DateTime[] HistoryDates,
        List<string> TrainHolidayNames,
        ProphetFrame History,
        List<Seasonality> Seasonalities,
        List<ExtraRegressor> Regressors,
        string? CountryHolidays,
        ProphetParameters Parameters,
        bool SpecifiedChangepoints);

    /// <summary>
    /// A fitted model from saved state: seasonalities and regressors as saved (no auto rules re-run), scales,
    /// changepoints and parameters as saved; X's columns and the component table are rebuilt from the history, in
    /// prophet's order, exactly as <see cref="Fit"/> built them.
    /// </summary>
    internal static Prophet Restore(ProphetOptions options, RestoredState state)
    {
        // Built-in seasonalities are restored from the saved table, so the auto rules must not add them again.
        var model = new Prophet(options with
        {
            YearlySeasonality = false,
            WeeklySeasonality = false,
            DailySeasonality = false,
            Changepoints = state.SpecifiedChangepoints ? state.Changepoints : null,
        });
        model.Options = options;
        foreach (var s in state.Seasonalities)
        {
            model._seasonalityOrder.Add(s.Name);
            model._seasonalities[s.Name] = s;
        }

        foreach (var r in state.Regressors)
        {
            model._regressorOrder.Add(r.Name);
            model._extraRegressors[r.Name] = r;
        }

        model.CountryHolidays = state.CountryHolidays;
        model.YScale = state.YScale;
        model.YMin = state.YMin;
        model.LogisticFloor = state.LogisticFloor;
        model.Start = state.Start;
        model.TScale = state.TScale;
        model.HistoryDates = state.HistoryDates;
        model.NChangepoints = state.Changepoints.Length;
        if (state.TrainHolidayNames.Count > 0)
        {
            model.TrainHolidayNames = state.TrainHolidayNames;
        }

        var history = model.SetupDataFrame(state.History);
        model.PreparedHistory = history;
        model.History = history.Source;
        var features = model.MakeAllSeasonalityFeatures(history);
        model.Changepoints = state.Changepoints;
        model.ChangepointsT = state.ChangepointsT;
        model.StanData = new ProphetStanData(history.RowCount, features.Columns, state.ChangepointsT.Length, history.YScaled ?? [],
            history.T, history.CapScaled ?? new double[history.RowCount], state.ChangepointsT, features.Values, features.PriorScales,
            options.ChangepointPriorScale, options.Growth switch { Growth.Linear => 0, Growth.Logistic => 1, _ => 2 }, features.SA, features.SM);
        model.Params = state.Parameters;
        return model;
    }
}
