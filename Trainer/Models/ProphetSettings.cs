using Forecast.Prophet;

namespace Forecast.Trainer.Models;

/// <summary>A custom seasonality of <c>model.prophet.seasonalities.&lt;name&gt;</c> (prophet's <c>add_seasonality</c>).</summary>
public sealed record ProphetCustomSeasonality(string Name, double Period, int FourierOrder, double? PriorScale, SeasonalityMode? Mode, string? Condition);

/// <summary>An extra regressor of <c>model.prophet.regressors.&lt;name&gt;</c> (prophet's <c>add_regressor</c>), a covariate column.</summary>
public sealed record ProphetRegressor(string Name, double? PriorScale, RegressorStandardize Standardize, SeasonalityMode? Mode);

/// <summary>
/// Everything <c>model.prophet</c> configures: the library's <see cref="ProphetOptions"/> plus what the Trainer adds
/// per series (custom seasonalities, country holidays, the logistic cap/floor, batch parallelism).
/// </summary>
public sealed record ProphetSettings(
    ProphetOptions Options,
    IReadOnlyList<ProphetCustomSeasonality> Seasonalities,
    string? Country,
    double? Cap,
    double? Floor,
    int? MaxParallelism)
{
    /// <summary>Extra regressors: their history is the series' covariate column, their future comes with the request.</summary>
    public IReadOnlyList<ProphetRegressor> Regressors { get; init; } = [];

    /// <summary><c>model.prophet.fit_mode</c>: the exact MAP (default) or R prophet 1.0's own fit.</summary>
    public ProphetFitMode FitMode { get; init; } = ProphetFitMode.Exact;
}
