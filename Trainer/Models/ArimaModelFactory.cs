using Forecast.Core.Models;
using Forecast.Statistical.Arima;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>
/// <c>model: arima</c> — automatic ARIMA as R forecast's <c>auto.arima()</c> (Forecast.Statistical.Arima), with its
/// main arguments under <c>model.arima</c>: d, seasonal_d, the order bounds, stepwise, approximation, allow_drift,
/// allow_mean, ic, plus season_length, on_error and max_parallelism. Every key is in docs/configuration.md.
/// </summary>
public sealed class ArimaModelFactory : IModelFactory
{
    public const string ModelName = "arima";

    public string Name => ModelName;

    public ModelDescription Describe() => new(Name, "Automatic ARIMA, as R forecast's auto.arima(): KPSS/seasonal-strength differencing, stepwise search, exact likelihood.", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var defaults = new AutoArima();
        int? d = options.OptionalInt("d", null, min: 0, max: 2);
        int? seasonalD = options.OptionalInt("seasonal_d", null, min: 0, max: 1);
        int maxP = options.Int("max_p", defaults.MaxP, min: 0, max: 20);
        int maxQ = options.Int("max_q", defaults.MaxQ, min: 0, max: 20);
        int maxSeasonalP = options.Int("max_seasonal_p", defaults.MaxSeasonalP, min: 0, max: 5);
        int maxSeasonalQ = options.Int("max_seasonal_q", defaults.MaxSeasonalQ, min: 0, max: 5);
        int maxOrder = options.Int("max_order", defaults.MaxOrder, min: 0, max: 40);
        bool stepwise = options.Bool("stepwise", defaults.Stepwise);
        bool? approximation = EtsModelFactory.ReadOptionalBool(options, "approximation");
        bool allowDrift = options.Bool("allow_drift", defaults.AllowDrift);
        bool allowMean = options.Bool("allow_mean", defaults.AllowMean);
        bool seasonal = options.Bool("seasonal", defaults.Seasonal);
        var ic = options.Enum("ic", defaults.InformationCriterion);
        var settings = StatisticalSettings.Read(options);
        options.Finish();

        var model = new AutoArima
        {
            D = d,
            SeasonalD = seasonalD,
            MaxP = maxP,
            MaxQ = maxQ,
            MaxSeasonalP = maxSeasonalP,
            MaxSeasonalQ = maxSeasonalQ,
            MaxOrder = maxOrder,
            Stepwise = stepwise,
            Approximation = approximation,
            AllowDrift = allowDrift,
            AllowMean = allowMean,
            Seasonal = seasonal,
            InformationCriterion = ic,
        };
        return _ => new StatisticalForecaster(ModelName, model, settings);
    }
}
