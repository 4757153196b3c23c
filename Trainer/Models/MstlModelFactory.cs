using System.Collections.Concurrent;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Statistical.Mstl;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>
/// <c>model: mstl</c> — multiple seasonal decomposition and forecast as R forecast's <c>forecast(mstl(msts(y,
/// seasonal.periods)))</c> (Forecast.Statistical.Mstl): ETS of the seasonally adjusted series, the seasonal components
/// continued by their last period. <c>model.mstl.season_lengths</c> gives the periods (null: a day and a week of
/// sub-daily data, a week and a year of daily data), <c>min_season_lengths</c> how many of them need two full periods
/// in a series, plus on_error and max_parallelism. Every key is in docs/configuration.md.
/// </summary>
public sealed class MstlModelFactory : IModelFactory
{
    public const string ModelName = "mstl";

    public string Name => ModelName;

    public ModelDescription Describe() => new(Name, "Multiple seasonalities (e.g. daily and weekly): MSTL decomposition, ETS of the adjusted series, as R forecast's mstl() + forecast().", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var lengths = options.Has("season_lengths") ? ReadSeasonLengths(options) : null;
        if (lengths is null) options.Resolved["season_lengths"] = null; // null: from each series' frequency
        int minimum = options.Int("min_season_lengths", 2, min: 1, max: 10);
        var onError = options.Enum("on_error", StatisticalFailure.SeasonalNaive);
        int? maxParallelism = options.OptionalInt("max_parallelism", null, min: 1);

        if (lengths is { Count: > 0 } && minimum > lengths.Count)
            options.Problem("min_season_lengths", $"is {minimum} but season_lengths lists {lengths.Count} period(s): no series could be fitted.");
        options.Finish();

        var model = new MstlModel { SeasonLengths = lengths ?? [], MinSeasonLengths = minimum };
        var settings = new StatisticalSettings(null, onError, maxParallelism);
        // One model per frequency, made once: a series' later fits then see the same model as its first (the forms
        // reuse of model: auto compares them by reference) and no record is made per series.
        var perFrequency = new ConcurrentDictionary<Frequency, Statistical.IStatisticalModel>();
        Func<Frequency, Statistical.IStatisticalModel> modelFor = lengths is null
            ? frequency => perFrequency.GetOrAdd(frequency, f => model with { SeasonLengths = DefaultSeasonLengths(f) })
            : _ => model;
        return _ => new StatisticalForecaster(ModelName, model, settings, modelFor);
    }

    /// <summary>
    /// The periods practitioners decompose by: a day and a week of sub-daily data (hourly 24 and 168, half-hourly 48
    /// and 336), a week and a year of daily data (7 and 365); otherwise the frequency's one season length.
    /// </summary>
    public static IReadOnlyList<int> DefaultSeasonLengths(Frequency frequency)
    {
        int m = frequency.DefaultSeasonLength;
        return frequency.Unit switch
        {
            FrequencyUnit.Hour or FrequencyUnit.Minute when m > 1 => [m, 7 * m],
            FrequencyUnit.Day when frequency.Multiple == 1 => [7, 365],
            _ => [m],
        };
    }

    private static List<int>? ReadSeasonLengths(ConfigSection options)
    {
        var values = options.DoubleList("season_lengths", []);
        var lengths = new List<int>();
        foreach (double v in values)
        {
            if (v != Math.Floor(v) || v < 2 || v > 1_000_000)
                options.Problem("season_lengths", $"every season length must be a whole number of at least 2, got {v}.");
            else lengths.Add((int)v);
        }
        if (values.Count == 0) options.Problem("season_lengths", "lists no season length; give the periods, e.g. [24, 168], or leave the key out.");
        return lengths;
    }
}
