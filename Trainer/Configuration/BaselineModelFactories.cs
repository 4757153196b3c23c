using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;

namespace Forecast.Trainer.Configuration;

/// <summary><c>model.naive</c>: intervals (gaussian | empirical).</summary>
public sealed class NaiveModelFactory : IModelFactory
{
    public string Name => NaiveForecaster.ModelName;

    public ModelDescription Describe() => new(Name, "The last value, repeated (R forecast naive()).", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var intervals = options.Enum("intervals", new BaselineOptions().Intervals);
        return _ => new NaiveForecaster(intervals);
    }
}

/// <summary><c>model.seasonal_naive</c>: season_length (null = from each series' frequency), intervals.</summary>
public sealed class SeasonalNaiveModelFactory : IModelFactory
{
    public string Name => SeasonalNaiveForecaster.ModelName;

    public ModelDescription Describe() => new(Name, "The value one season earlier (R forecast snaive()); every run is also scored against it.", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var seasonLength = options.OptionalInt("season_length", null, min: 1);
        var intervals = options.Enum("intervals", new BaselineOptions().Intervals);
        return _ => new SeasonalNaiveForecaster(seasonLength, intervals);
    }
}

/// <summary><c>model.mean</c>: intervals.</summary>
public sealed class MeanModelFactory : IModelFactory
{
    public string Name => MeanForecaster.ModelName;

    public ModelDescription Describe() => new(Name, "The mean of the history (R forecast meanf()).", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var intervals = options.Enum("intervals", new BaselineOptions().Intervals);
        return _ => new MeanForecaster(intervals);
    }
}
