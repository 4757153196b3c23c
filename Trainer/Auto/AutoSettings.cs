namespace Forecast.Trainer.Auto;

/// <summary>
/// <c>model.auto</c>: which models compete, how they are backtested and how the forecast of each series is chosen
/// (every key and default in docs/configuration.md).
/// </summary>
/// <param name="Candidates">The competing models by model.name, each configured by its own model.&lt;name&gt; section.</param>
/// <param name="Metric">The backtest score that ranks candidates and fits the greedy ensemble.</param>
/// <param name="Windows">Rolling-origin backtest windows, the last one ending where the history ends.</param>
/// <param name="Step">Points between backtest cutoffs; null = the horizon (windows side by side).</param>
/// <param name="Ensembles">The ensembles built from the candidates and scored alongside them.</param>
/// <param name="TopK">How many of a series' best candidates the mean and median ensembles combine.</param>
/// <param name="EnsembleSize">Rounds of Caruana's greedy ensemble selection (models added with replacement).</param>
/// <param name="Selection">Whether each series gets its own best option, or all series the best option overall.</param>
/// <param name="SeasonLength">Season length m of the MASE scale; null = each series' frequency default.</param>
/// <param name="MinHistory">Fewest history points before a backtest cutoff; null = two seasons (at least 10 points).</param>
/// <param name="MaxHistory">The most recent points of a history each candidate sees (backtest and final fits); null = all.</param>
/// <param name="Shrinkage">How many backtest windows the options' standing over all series is worth when a series' own
/// backtest ranks its options (0: the series' own scores alone).</param>
/// <param name="ReuseForms">Whether the classical candidates (ETS, ARIMA) choose each series' form once, on its earliest
/// backtest window, and only re-estimate its parameters on the later windows and the final fits.</param>
/// <param name="Refit">Whether every backtest window re-estimates the candidates' parameters (true), or the classical
/// candidates (ETS, ARIMA) are estimated once per series, on its earliest window, and the later windows only run that
/// fitted model over their longer histories (false: statsforecast's <c>cross_validation(refit=False)</c>). The final
/// fits are estimated in either case.</param>
/// <param name="Quantiles">Where a series' quantiles come from: the option chosen by <paramref name="Metric"/> (with the
/// point forecast), or a second choice by WQL (every option's quantiles scored by weighted quantile loss; the greedy
/// ensemble refitted on it).</param>
/// <param name="Calibration">Whether the options judged by WQL may have their quantiles' spread rescaled per series by
/// a factor fitted on the backtest (<see cref="IntervalScaling"/>), where the cross-fitted backtest prefers it.</param>
/// <param name="WarmStart">Whether, with <paramref name="ReuseForms"/>, a series' ARIMA re-estimation on a later window
/// (and the final fits) starts from its previous window's optimum (exact likelihood, no CSS stage) instead of R's
/// default start; the default start where that fails.</param>
public sealed record AutoSettings(
    IReadOnlyList<string> Candidates,
    SelectionMetric Metric,
    int Windows,
    int? Step,
    IReadOnlyList<EnsembleKind> Ensembles,
    int TopK,
    int EnsembleSize,
    SelectionScope Selection,
    int? SeasonLength,
    int? MinHistory,
    int? MaxHistory = null,
    double Shrinkage = AutoSettings.DefaultShrinkage,
    bool ReuseForms = AutoSettings.DefaultReuseForms,
    QuantileChoice Quantiles = AutoSettings.DefaultQuantiles,
    bool Refit = AutoSettings.DefaultRefit,
    QuantileCalibration Calibration = AutoSettings.DefaultCalibration,
    bool WarmStart = AutoSettings.DefaultWarmStart)
{
    /// <summary>The candidates when model.auto.candidates is not given (those of them that the Trainer has).</summary>
    public static readonly IReadOnlyList<string> DefaultCandidates = ["seasonal_naive", "ets", "arima", "theta", "mstl", "prophet"];

    // The defaults of the optional keys, read here by AutoModelFactory so the record, the config and
    // docs/configuration.md have one value each.
    public const double DefaultShrinkage = 1;
    public const bool DefaultReuseForms = true;
    public const QuantileChoice DefaultQuantiles = QuantileChoice.Wql;
    public const bool DefaultRefit = true;
    public const QuantileCalibration DefaultCalibration = QuantileCalibration.Scale;
    public const bool DefaultWarmStart = true;

    public static readonly IReadOnlyList<EnsembleKind> DefaultEnsembles = [EnsembleKind.Mean, EnsembleKind.Median, EnsembleKind.Greedy];
}

/// <summary>The backtest score of <c>model.auto.metric</c>.</summary>
public enum SelectionMetric
{
    /// <summary>Mean absolute scaled error of the point forecast (M4 MASE), averaged over windows and series.</summary>
    Mase,

    /// <summary>Weighted quantile loss (GluonTS mean weighted sum quantile loss), pooled as the evaluation pools it.</summary>
    Wql,
}

/// <summary><c>model.auto.quantiles</c>: how a series' quantile forecasts are chosen.</summary>
public enum QuantileChoice
{
    /// <summary>From the option chosen for the point forecast (by <c>metric</c>).</summary>
    WithPoint,

    /// <summary>From the option with the best backtest WQL (per series or overall, as <c>selection</c>), the greedy
    /// ensemble's weights fitted on WQL; the point forecast is still chosen by <c>metric</c>.</summary>
    Wql,
}

/// <summary><c>model.auto.calibration</c>: whether the quantiles chosen by WQL may be recalibrated on the backtest.</summary>
public enum QuantileCalibration
{
    /// <summary>Every option's quantiles as its models give them.</summary>
    None,

    /// <summary>Per series and option, the quantiles' distances from the point forecast scaled by one factor fitted on
    /// the backtest windows, used where the cross-fitted backtest WQL (each window scored with the factor fitted on the
    /// others) beats the unscaled quantiles'.</summary>
    Scale,
}

/// <summary>The ensembles of <c>model.auto.ensembles</c>.</summary>
public enum EnsembleKind
{
    /// <summary>Equal-weight mean of a series' top_k candidates.</summary>
    Mean,

    /// <summary>Median of a series' top_k candidates, level by level.</summary>
    Median,

    /// <summary>Caruana's greedy ensemble selection over every series' backtest (as AutoGluon's WeightedEnsemble).</summary>
    Greedy,
}

/// <summary><c>model.auto.selection</c>.</summary>
public enum SelectionScope
{
    /// <summary>Each series takes the option with its own best backtest score.</summary>
    PerSeries,

    /// <summary>Every series takes the option with the best backtest score over all series.</summary>
    Global,
}
