using Forecast.Core.Models;
using Forecast.Statistical;
using Forecast.Statistical.Ets;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>
/// <c>model: ets</c> — automatic exponential smoothing as R forecast's <c>ets()</c> (Forecast.Statistical.Ets), with
/// its main arguments under <c>model.ets</c>: model (three letters, Z = choose), damped, allow_multiplicative_trend,
/// additive_only, ic, plus season_length, on_error and max_parallelism. Every key is in docs/configuration.md.
/// </summary>
public sealed class EtsModelFactory : IModelFactory
{
    public const string ModelName = "ets";

    public string Name => ModelName;

    public ModelDescription Describe() => new(Name, "Automatic exponential smoothing (ETS), as R forecast's ets(): every error/trend/season form, the smallest AICc.", []);

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var defaults = new AutoEts();
        string form = options.String("model", defaults.Model).ToUpperInvariant();
        if (form.Length != 3 || "AMZ".IndexOf(form[0]) < 0 || "NAMZ".IndexOf(form[1]) < 0 || "NAMZ".IndexOf(form[2]) < 0)
            options.Problem("model", $"'{form}' is not three letters error (A, M, Z), trend (N, A, M, Z), season (N, A, M, Z), e.g. ZZZ, MAM, ANN.");
        bool? damped = ReadOptionalBool(options, "damped");
        bool multiplicativeTrend = options.Bool("allow_multiplicative_trend", defaults.AllowMultiplicativeTrend);
        bool additiveOnly = options.Bool("additive_only", defaults.AdditiveOnly);
        var ic = options.Enum("ic", defaults.InformationCriterion);
        var settings = StatisticalSettings.Read(options);
        options.Finish();

        var model = new AutoEts
        {
            Model = form,
            Damped = damped,
            AllowMultiplicativeTrend = multiplicativeTrend,
            AdditiveOnly = additiveOnly,
            InformationCriterion = ic,
        };
        return _ => new StatisticalForecaster(ModelName, model, settings);
    }

    /// <summary>true, false or null (try both).</summary>
    internal static bool? ReadOptionalBool(ConfigSection options, string key)
    {
        string? text = options.OptionalString(key, null);
        if (text is null) return null;
        if (bool.TryParse(text, out bool value))
        {
            options.Resolved[key] = value;
            return value;
        }
        options.Problem(key, $"must be true, false or null (try both), got '{text}'.");
        return null;
    }
}
