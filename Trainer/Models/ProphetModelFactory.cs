using System.Globalization;
using Forecast.Core.Models;
using Forecast.Prophet;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>
/// <c>model: prophet</c> — reads <c>model.prophet</c>: every option of prophet's constructor (forecaster.py:
/// <c>Prophet.__init__</c>, defaults as prophet), custom seasonalities, holidays (country and/or table) and the
/// batch's parallelism. Every key and default is in docs/configuration.md.
/// </summary>
public sealed class ProphetModelFactory : IModelFactory
{
    public const string ModelName = "prophet";

    public string Name => ModelName;

    public ModelDescription Describe() =>
        new(Name, "Facebook Prophet, a native port: trend with changepoints, seasonalities, holidays and regressors, fitted per series (model.prophet).", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var defaults = new ProphetOptions();
        var growth = options.Enum("growth", defaults.Growth);
        var changepoints = ReadChangepoints(options);
        int nChangepoints = options.Int("n_changepoints", defaults.NChangepoints, min: 0);
        double changepointRange = options.Double("changepoint_range", defaults.ChangepointRange, 0, 1);
        double changepointPriorScale = options.Double("changepoint_prior_scale", defaults.ChangepointPriorScale, double.Epsilon, double.MaxValue);
        var yearly = ReadSeasonality(options, "yearly_seasonality");
        var weekly = ReadSeasonality(options, "weekly_seasonality");
        var daily = ReadSeasonality(options, "daily_seasonality");
        var seasonalityMode = options.Enum("seasonality_mode", defaults.SeasonalityMode);
        double seasonalityPriorScale = options.Double("seasonality_prior_scale", defaults.SeasonalityPriorScale, double.Epsilon, double.MaxValue);
        double holidaysPriorScale = options.Double("holidays_prior_scale", defaults.HolidaysPriorScale, double.Epsilon, double.MaxValue);
        string? holidaysModeText = options.OptionalString("holidays_mode", null);
        SeasonalityMode? holidaysMode = null;
        if (holidaysModeText is not null)
        {
            if (System.Enum.TryParse<SeasonalityMode>(holidaysModeText, ignoreCase: true, out var mode)) holidaysMode = mode;
            else options.Problem("holidays_mode", $"'{holidaysModeText}' is not one of additive, multiplicative (null = seasonality_mode).");
        }
        var (country, holidays) = ReadHolidays(options.Section("holidays"));
        var seasonalities = ReadCustomSeasonalities(options.Section("seasonalities"));
        var regressors = ReadRegressors(options.Section("regressors"));
        double intervalWidth = options.Double("interval_width", defaults.IntervalWidth, 0, 1);
        int uncertaintySamples = options.Int("uncertainty_samples", defaults.UncertaintySamples, min: 0);
        var scaling = ReadScaling(options);
        var intervalMethod = options.Enum("interval_method", defaults.IntervalMethod);
        var fitMode = options.Enum("fit_mode", ProphetFitMode.Exact);
        int? seed = options.OptionalInt("seed", null);
        double? cap = OptionalDouble(options, "cap");
        double? floor = OptionalDouble(options, "floor");
        int? maxParallelism = options.OptionalInt("max_parallelism", null, min: 1);
        options.Finish();

        if (growth == Growth.Logistic && cap is null)
            options.Problem("cap", "growth: logistic needs a carrying capacity; set cap: to a number above every value of the series.");
        if (cap is { } c && floor is { } f && c <= f)
            options.Problem("floor", FormattableString.Invariant($"must be below cap ({c}), got {f}."));

        return context =>
        {
            var prophetOptions = defaults with
            {
                Growth = growth,
                Changepoints = changepoints,
                NChangepoints = nChangepoints,
                ChangepointRange = changepointRange,
                ChangepointPriorScale = changepointPriorScale,
                YearlySeasonality = yearly,
                WeeklySeasonality = weekly,
                DailySeasonality = daily,
                SeasonalityMode = seasonalityMode,
                SeasonalityPriorScale = seasonalityPriorScale,
                HolidaysPriorScale = holidaysPriorScale,
                HolidaysMode = holidaysMode,
                Holidays = holidays,
                IntervalWidth = intervalWidth,
                UncertaintySamples = uncertaintySamples,
                Scaling = scaling,
                IntervalMethod = intervalMethod,
                Seed = seed ?? context.Seed, // null: the run's seed, so a run is reproducible
            };
            return new ProphetForecaster(new ProphetSettings(prophetOptions, seasonalities, country, cap, floor, maxParallelism) { Regressors = regressors, FitMode = fitMode });
        };
    }

    private static IReadOnlyList<DateTime>? ReadChangepoints(ConfigSection options)
    {
        if (!options.Has("changepoints")) { options.StringList("changepoints", []); options.Resolved["changepoints"] = null; return null; }
        var texts = options.StringList("changepoints", []);
        var dates = new List<DateTime>();
        foreach (string text in texts)
        {
            if (ProphetFrame.ParseDate(text) is { } date) dates.Add(date);
            else options.Problem("changepoints", $"'{text}' is not a date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss).");
        }
        return dates;
    }

    /// <summary>auto | true | false | a Fourier order (forecaster.py: <c>parse_seasonality_args</c>).</summary>
    private static SeasonalitySetting ReadSeasonality(ConfigSection options, string key)
    {
        string text = options.String(key, "auto");
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase)) return SeasonalitySetting.Auto;
        if (bool.TryParse(text, out bool enabled)) return enabled;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int order)) return SeasonalitySetting.FourierOrder(order);
        options.Problem(key, $"must be auto, true, false or a Fourier order (a whole number >= 0), got '{text}'.");
        return SeasonalitySetting.Auto;
    }

    private static (string? Country, IReadOnlyList<HolidayEvent>? Table) ReadHolidays(ConfigSection section)
    {
        string? country = section.OptionalString("country", null);
        string? table = section.OptionalString("table", null);
        section.Finish();
        if (country is not null && !CountryHolidayCalendar.IsSupported(country))
            section.Problem("country", $"holidays of '{country}' are not available; supported codes: {string.Join(", ", CountryHolidayCalendar.SupportedCountries)}.");
        IReadOnlyList<HolidayEvent>? events = null;
        if (table is not null)
        {
            try
            {
                events = ProphetHolidayTable.Read(table);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                section.Problem("table", e.Message);
            }
        }
        return (country, events);
    }

    /// <summary>seasonalities: { monthly: { period: 30.5, fourier_order: 5, prior_scale, mode, condition } }.</summary>
    private static IReadOnlyList<ProphetCustomSeasonality> ReadCustomSeasonalities(ConfigSection section)
    {
        var result = new List<ProphetCustomSeasonality>();
        foreach (string name in section.PresentKeys.ToList())
        {
            var s = section.Section(name);
            double period = s.Double("period", 0, double.Epsilon, double.MaxValue);
            if (!s.Has("period")) s.Problem("period", "is required: the seasonality's period in days (30.5 for monthly).");
            int order = s.RequiredInt("fourier_order", 1, int.MaxValue, "give the number of Fourier terms (e.g. 5).");
            double? priorScale = s.Has("prior_scale") ? s.Double("prior_scale", 10, double.Epsilon, double.MaxValue) : OptionalDefault(s, "prior_scale");
            string? modeText = s.OptionalString("mode", null);
            SeasonalityMode? mode = null;
            if (modeText is not null)
            {
                if (System.Enum.TryParse<SeasonalityMode>(modeText, ignoreCase: true, out var m)) mode = m;
                else s.Problem("mode", $"'{modeText}' is not one of additive, multiplicative (null = seasonality_mode).");
            }
            string? condition = s.OptionalString("condition", null);
            if (condition is not null)
                s.Problem("condition", "conditional seasonalities need a boolean column per row, which the long-format data does not carry; remove condition.");
            s.Finish();
            if (name is "yearly" or "weekly" or "daily")
                section.Problem(name, $"'{name}' is a built-in seasonality; set {name}_seasonality instead or use another name.");
            result.Add(new ProphetCustomSeasonality(name, period, order, priorScale, mode, condition));
        }
        return result;
    }

    /// <summary>regressors: { price: { prior_scale, standardize: auto|true|false, mode } } (forecaster.py: <c>add_regressor</c>).</summary>
    private static IReadOnlyList<ProphetRegressor> ReadRegressors(ConfigSection section)
    {
        var result = new List<ProphetRegressor>();
        foreach (string name in section.PresentKeys.ToList())
        {
            var s = section.Section(name);
            double? priorScale = s.Has("prior_scale") ? s.Double("prior_scale", 10, double.Epsilon, double.MaxValue) : OptionalDefault(s, "prior_scale");
            string standardizeText = s.String("standardize", "auto");
            var standardize = RegressorStandardize.Auto;
            if (bool.TryParse(standardizeText, out bool yes)) standardize = yes ? RegressorStandardize.Yes : RegressorStandardize.No;
            else if (!string.Equals(standardizeText, "auto", StringComparison.OrdinalIgnoreCase))
                s.Problem("standardize", $"must be auto, true or false, got '{standardizeText}'.");
            string? modeText = s.OptionalString("mode", null);
            SeasonalityMode? mode = null;
            if (modeText is not null)
            {
                if (System.Enum.TryParse<SeasonalityMode>(modeText, ignoreCase: true, out var m)) mode = m;
                else s.Problem("mode", $"'{modeText}' is not one of additive, multiplicative (null = seasonality_mode).");
            }
            s.Finish();
            result.Add(new ProphetRegressor(name, priorScale, standardize, mode));
        }
        return result;
    }

    /// <summary>absmax | minmax, spelled as prophet's <c>scaling</c> argument.</summary>
    private static Scaling ReadScaling(ConfigSection options)
    {
        string text = options.String("scaling", "absmax");
        switch (text.ToLowerInvariant())
        {
            case "absmax": return Scaling.AbsMax;
            case "minmax": return Scaling.MinMax;
            default:
                options.Problem("scaling", $"'{text}' is not one of absmax, minmax.");
                return Scaling.AbsMax;
        }
    }

    private static double? OptionalDefault(ConfigSection s, string key)
    {
        s.MarkRead(key);
        s.Resolved[key] = null;
        return null;
    }

    private static double? OptionalDouble(ConfigSection options, string key)
    {
        string? text = options.OptionalString(key, null);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            options.Resolved[key] = value;
            return value;
        }
        options.Problem(key, $"must be a number or null, got '{text}'.");
        return null;
    }
}
