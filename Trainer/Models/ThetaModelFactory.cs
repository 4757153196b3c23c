using Forecast.Core.Models;
using Forecast.Statistical.Theta;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>
/// <c>model: theta</c> — the Theta method (Forecast.Statistical.Theta): R forecast's <c>thetaf()</c> by default, or
/// one of statsforecast's optimised/dynamic Theta models (<c>model.theta.variant</c>), plus season_length, on_error
/// and max_parallelism. Every key is in docs/configuration.md.
/// </summary>
public sealed class ThetaModelFactory : IModelFactory
{
    public const string ModelName = "theta";

    public string Name => ModelName;

    public ModelDescription Describe() => new(Name, "The Theta method, as R forecast's thetaf() (or statsforecast's optimised and dynamic Theta models).", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var variant = options.Enum("variant", ThetaVariant.Standard);
        var settings = StatisticalSettings.Read(options);
        options.Finish();
        var model = new AutoTheta { Variant = variant };
        return _ => new StatisticalForecaster(ModelName, model, settings);
    }
}
