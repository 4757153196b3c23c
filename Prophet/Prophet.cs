using Forecast.Prophet.Rstan;

namespace Forecast.Prophet;

/// <summary>
/// A native port of facebook/prophet's <c>Prophet</c> model (python/prophet/forecaster.py, R/R/prophet.R;
/// /work/shared/specs/prophet.md). Methods follow prophet's fit pipeline: <see cref="SetupDataFrame"/>,
/// <see cref="SetChangepoints"/>, <see cref="MakeAllSeasonalityFeatures"/>, <see cref="Fit"/>,
/// <see cref="Predict"/>, <see cref="PredictUncertainty"/>, <see cref="MakeFutureDataFrame"/>.
/// A model is fitted once; instances are independent, so many series can be fitted in parallel.
/// </summary>
public sealed partial class Prophet
{
    /// <summary>Component and column names prophet reserves (forecaster.py: <c>validate_column_name</c>).</summary>
    private static readonly HashSet<string> ReservedNames = BuildReservedNames();

    private readonly Dictionary<string, Seasonality> _seasonalities = new(StringComparer.Ordinal);
    private readonly List<string> _seasonalityOrder = [];
    private readonly Dictionary<string, ExtraRegressor> _extraRegressors = new(StringComparer.Ordinal);
    private readonly List<string> _regressorOrder = [];

    public Prophet(ProphetOptions? options = null)
    {
        Options = options ?? new ProphetOptions();
        ValidateInputs();
        NChangepoints = Options.NChangepoints;
        if (Options.Changepoints is { } changepoints)
        {
            NChangepoints = changepoints.Count;
        }
    }

    public ProphetOptions Options { get; private set; }

    /// <summary>ISO code passed to <see cref="AddCountryHolidays"/>, or null.</summary>
    public string? CountryHolidays { get; private set; }

    /// <summary>Number of changepoints actually used (reduced when the history is short, spec §3).</summary>
    public int NChangepoints { get; private set; }

    /// <summary>Seasonalities in column order (user additions first, then yearly, weekly, daily).</summary>
    public IReadOnlyList<Seasonality> Seasonalities => _seasonalityOrder.Select(n => _seasonalities[n]).ToList();

    public IReadOnlyList<ExtraRegressor> ExtraRegressors => _regressorOrder.Select(n => _extraRegressors[n]).ToList();

    // ---- state set by Fit (forecaster.py attributes of the same names) ----

    public bool IsFitted => Params is not null;

    public ProphetFrame? History { get; private set; }

    internal PreparedFrame? PreparedHistory { get; private set; }

    /// <summary>Sorted unique ds of the whole fit input, including rows with missing y.</summary>
    public DateTime[] HistoryDates { get; private set; } = [];

    public DateTime Start { get; private set; }

    public TimeSpan TScale { get; private set; }

    public double YScale { get; private set; } = 1.0;

    public double YMin { get; private set; }

    public bool LogisticFloor { get; private set; }

    public DateTime[] Changepoints { get; private set; } = [];

    public double[] ChangepointsT { get; private set; } = [];

    public IReadOnlyList<string> TrainHolidayNames { get; private set; } = [];

    /// <summary>Component names by mode (prophet's <c>component_modes</c>).</summary>
    public IReadOnlyDictionary<SeasonalityMode, IReadOnlyList<string>> ComponentModes { get; private set; } =
        new Dictionary<SeasonalityMode, IReadOnlyList<string>>();

    /// <summary>Columns of X that make up each component (prophet's <c>train_component_cols</c>), in output order.</summary>
    public IReadOnlyList<KeyValuePair<string, int[]>> TrainComponentColumns { get; private set; } = [];

    public IReadOnlyList<string> FeatureNames { get; private set; } = [];

    /// <summary>
    /// prophet.stan's data for this model (<see cref="Preprocess"/>, or the data of the fit). A fitted model does not
    /// keep X (nor the zero cap of a trend without one), which a forecast does not need (X is T × K, the largest array of
    /// the fit): the fit builds them in its per-thread scratch memory, and the first read of this property after the fit
    /// builds them again, from the kept history, with the fit's own arithmetic (the same values).
    /// </summary>
    public ProphetStanData? StanData
    {
        get
        {
            if (!Volatile.Read(ref _stanDataWithoutX))
            {
                return _stanData;
            }

            lock (_stanDataLock)
            {
                if (_stanDataWithoutX)
                {
                    var features = MakeAllSeasonalityFeatures(PreparedHistory!, FitOptions.Mode == ProphetFitMode.Exact);
                    _stanData = _stanData! with { X = features.Values, Cap = PreparedHistory!.CapScaled ?? new double[_stanData.T] };
                    Volatile.Write(ref _stanDataWithoutX, false);
                }

                return _stanData;
            }
        }

        private set
        {
            _stanData = value;
            _stanDataWithoutX = false;
        }
    }

    private readonly Lock _stanDataLock = new();

    private ProphetStanData? _stanData;

    // True after a fit: _stanData.X and Cap were the fit's scratch memory and are not kept (the getter of StanData rebuilds them).
    private bool _stanDataWithoutX;

    public ProphetParameters? Params { get; private set; }

    /// <summary>The optimiser run that produced <see cref="Params"/> (null for the constant-y shortcut).</summary>
    public OptimizationResult? Optimization { get; private set; }

    public ProphetFitOptions FitOptions { get; private set; } = new();

    /// <summary>
    /// Adds a seasonality (forecaster.py: <c>add_seasonality</c>). <paramref name="conditionName"/> names a boolean
    /// column that switches it on (conditional seasonality).
    /// </summary>
    public Prophet AddSeasonality(string name, double period, int fourierOrder, double? priorScale = null,
        SeasonalityMode? mode = null, string? conditionName = null)
    {
        if (IsFitted)
        {
            throw new InvalidOperationException("Seasonality must be added prior to model fitting.");
        }

        if (name is not ("daily" or "weekly" or "yearly"))
        {
            ValidateColumnName(name, checkSeasonalities: true, checkRegressors: true, checkHolidays: true);
        }

        var scale = priorScale ?? Options.SeasonalityPriorScale;
        if (!(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(priorScale), scale, $"Prior scale of seasonality '{name}' must be > 0.");
        }

        if (fourierOrder <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fourierOrder), fourierOrder, $"Fourier order of seasonality '{name}' must be > 0.");
        }

        if (!(period > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"Period of seasonality '{name}' must be > 0 days.");
        }

        if (conditionName is not null)
        {
            ValidateColumnName(conditionName, checkSeasonalities: false, checkRegressors: true, checkHolidays: true);
        }

        if (!_seasonalities.ContainsKey(name))
        {
            _seasonalityOrder.Add(name);
        }

        _seasonalities[name] = new Seasonality(name, period, fourierOrder, scale, mode ?? Options.SeasonalityMode, conditionName);
        return this;
    }

    /// <summary>Adds an extra regressor column (forecaster.py: <c>add_regressor</c>).</summary>
    public Prophet AddRegressor(string name, double? priorScale = null, RegressorStandardize standardize = RegressorStandardize.Auto,
        SeasonalityMode? mode = null)
    {
        if (IsFitted)
        {
            throw new InvalidOperationException("Regressors must be added prior to model fitting.");
        }

        ValidateColumnName(name, checkSeasonalities: true, checkRegressors: false, checkHolidays: true);
        if (_extraRegressors.ContainsKey(name))
        {
            throw new ArgumentException($"Name '{name}' already used for an added regressor.", nameof(name));
        }

        var scale = priorScale ?? Options.HolidaysPriorScale;
        if (!(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(priorScale), scale, $"Prior scale of regressor '{name}' must be > 0.");
        }

        _regressorOrder.Add(name);
        _extraRegressors[name] = new ExtraRegressor(name, scale, standardize, mode ?? Options.SeasonalityMode);
        return this;
    }

    /// <summary>
    /// Adds the built-in holidays of a country (forecaster.py: <c>add_country_holidays</c>); see
    /// <see cref="CountryHolidayCalendar.SupportedCountries"/> for the codes.
    /// </summary>
    public Prophet AddCountryHolidays(string countryName)
    {
        if (IsFitted)
        {
            throw new InvalidOperationException("Country holidays must be added prior to model fitting.");
        }

        if (!CountryHolidayCalendar.IsSupported(countryName))
        {
            throw new ArgumentException(
                $"Holidays in '{countryName}' are not supported. Supported codes: {string.Join(", ", CountryHolidayCalendar.SupportedCountries)}.",
                nameof(countryName));
        }

        if (CountryHolidays is not null)
        {
            throw new InvalidOperationException($"Country holidays for '{CountryHolidays}' were already added; only one country is allowed.");
        }

        CountryHolidays = countryName;
        return this;
    }

    /// <summary>
    /// Prepares the history and builds prophet.stan's data (forecaster.py: <c>preprocess</c>): scales,
    /// seasonalities, X, changepoints. <see cref="Fit"/> calls it; call it alone to inspect the Stan data.
    /// </summary>
    public ProphetStanData Preprocess(ProphetFrame df) => Preprocess(df, fourierByRecurrence: false);

    /// <summary><see cref="Preprocess(ProphetFrame)"/> with the exact fit's Fourier arithmetic when <paramref name="fourierByRecurrence"/>.</summary>
    internal ProphetStanData Preprocess(ProphetFrame df, bool fourierByRecurrence)
    {
        var snapshot = SaveConfiguration();
        try
        {
            return PreprocessCore(df, fourierByRecurrence);
        }
        catch
        {
            RestoreConfiguration(snapshot);
            throw;
        }
    }

    /// <param name="df">The history.</param>
    /// <param name="fourierByRecurrence">
    /// Fourier features by angle addition (<see cref="FourierSeries.FillByRecurrence"/>): the exact fit, which does not
    /// reproduce R's rounding; <see cref="Preprocess"/> and the R-compatible fit keep prophet's expression.
    /// </param>
    /// <param name="scratchX">X in the fit's per-thread scratch memory (<see cref="FitBuffers"/>), not kept after the fit.</param>
    private ProphetStanData PreprocessCore(ProphetFrame df, bool fourierByRecurrence, bool scratchX = false)
    {
        ArgumentNullException.ThrowIfNull(df);
        if (IsFitted || StanData is not null)
        {
            throw new InvalidOperationException("Prophet object can only be fit once. Instantiate a new object.");
        }

        var y = df.Y ?? throw new ArgumentException("Dataframe must have columns \"ds\" and \"y\" with the dates and values respectively.", nameof(df));
        var observed = 0;
        foreach (var value in y)
        {
            observed += double.IsNaN(value) ? 0 : 1;
        }

        if (observed < 2)
        {
            throw new ArgumentException($"Dataframe has less than 2 non-NaN rows (it has {observed}); prophet needs at least two observed y values.", nameof(df));
        }

        // The rows with an observed y (SetupDataFrame copies them, so a frame without missing y is not copied twice).
        var increasing = IsStrictlyIncreasing(df.Ds);
        var historySource = observed == df.RowCount ? df : df.Select(ObservedRows(y, observed));
        var history = SetupDataFrame(historySource, initializeScales: true);
        // Every distinct date, sorted: the history's own (sorted) dates when no row was dropped and none repeats.
        HistoryDates = !increasing ? DistinctSorted(df.Ds) : observed == df.RowCount ? history.Ds : (DateTime[])df.Ds.Clone();
        PreparedHistory = history;
        History = history.Source;
        SetAutoSeasonalities();
        var features = MakeAllSeasonalityFeatures(history, fourierByRecurrence, scratchX);
        SetChangepoints();

        StanData = new ProphetStanData(
            T: history.RowCount,
            K: features.Columns,
            S: ChangepointsT.Length,
            Y: history.YScaled!,
            TimeScaled: history.T,
            Cap: history.CapScaled ?? (scratchX ? FitBuffers.Rent(history.RowCount) : new double[history.RowCount]),
            TChange: ChangepointsT,
            X: features.Values,
            Sigmas: features.PriorScales,
            Tau: Options.ChangepointPriorScale,
            TrendIndicator: Options.Growth switch { Growth.Linear => 0, Growth.Logistic => 1, _ => 2 },
            SA: features.SA,
            SM: features.SM);
        return StanData;
    }

    /// <summary>
    /// Fits the model to <paramref name="df"/> (columns ds, y and any cap/floor/regressor/condition columns): the MAP
    /// of prophet.stan from prophet's initial values (forecaster.py: <c>fit</c>). See <see cref="Optimize"/> for the
    /// optimisers; the result is deterministic.
    /// </summary>
    public Prophet Fit(ProphetFrame df, ProphetFitOptions? fitOptions = null, CancellationToken cancellationToken = default)
    {
        if (IsFitted || StanData is not null)
        {
            throw new InvalidOperationException("Prophet object can only be fit once. Instantiate a new object.");
        }

        var snapshot = SaveConfiguration();
        try
        {
            FitCore(df, fitOptions, cancellationToken);
        }
        catch
        {
            // A failed or cancelled fit leaves the model as it was before, so it can be fitted again.
            RestoreConfiguration(snapshot);
            throw;
        }

        return this;
    }

    private void FitCore(ProphetFrame df, ProphetFitOptions? fitOptions, CancellationToken cancellationToken)
    {
        FitOptions = fitOptions ?? new ProphetFitOptions();

        // The fit's scratch arrays, X among them, are this thread's kept ones (FitBuffers); none of them outlives the
        // fit: the model keeps its stan data without X.
        using var buffers = FitBuffers.Begin();
        PreprocessCore(df, fourierByRecurrence: FitOptions.Mode == ProphetFitMode.Exact, scratchX: true);
        var history = PreparedHistory!;
        var init = FitOptions.Init ?? InitialParameters(history, StanData!, rMean: FitOptions.Mode == ProphetFitMode.RCompatible);
        var yScaled = history.YScaled!;
        if (yScaled.Min() == yScaled.Max() && Options.Growth != Growth.Logistic)
        {
            // Constant y: prophet skips the optimiser (Python sets sigma_obs = 1e-9, R 0; we follow Python, and R
            // in the R-compatible mode).
            Params = init with { SigmaObs = FitOptions.Mode == ProphetFitMode.RCompatible ? 0.0 : 1e-9 };
        }
        else
        {
            var objective = new ProphetObjective(StanData!);
            var result = Optimize(objective, init, cancellationToken);
            var (residual, tolerance) = KktConditions.Measure(objective, result.X, result.AtSigmaFloor);
            Optimization = result with { KktResidual = residual, KktTolerance = tolerance };
            Params = ProphetParameters.FromUnconstrained(result.X, StanData!.S, StanData.K);
        }

        _stanData = _stanData! with { X = [], Cap = [] };
        _stanDataWithoutX = true;
        if (Changepoints.Length == 0)
        {
            // No changepoints: the dummy changepoint's delta is folded into k (forecaster.py: fit).
            Params = Params with { K = Params.K + Params.Delta[0], Delta = [0.0] };
        }
    }

    private (List<string> Order, Dictionary<string, Seasonality> Seasonalities, Dictionary<string, ExtraRegressor> Regressors, int NChangepoints) SaveConfiguration() =>
        (_seasonalityOrder.ToList(), new Dictionary<string, Seasonality>(_seasonalities), new Dictionary<string, ExtraRegressor>(_extraRegressors), NChangepoints);

    private void RestoreConfiguration((List<string> Order, Dictionary<string, Seasonality> Seasonalities, Dictionary<string, ExtraRegressor> Regressors, int NChangepoints) snapshot)
    {
        _seasonalityOrder.Clear();
        _seasonalityOrder.AddRange(snapshot.Order);
        _seasonalities.Clear();
        foreach (var (name, seasonality) in snapshot.Seasonalities)
        {
            _seasonalities[name] = seasonality;
        }

        _extraRegressors.Clear();
        foreach (var (name, regressor) in snapshot.Regressors)
        {
            _extraRegressors[name] = regressor;
        }

        NChangepoints = snapshot.NChangepoints;
        History = null;
        PreparedHistory = null;
        HistoryDates = [];
        Changepoints = [];
        ChangepointsT = [];
        TrainHolidayNames = [];
        TrainComponentColumns = [];
        FeatureNames = [];
        ComponentModes = new Dictionary<SeasonalityMode, IReadOnlyList<string>>();
        LogisticFloor = false;
        StanData = null;
        Params = null;
        Optimization = null;
    }

    /// <summary>Replaces the fitted parameters (tests compare predictions at R's parameters, as Python's m.params = ...).</summary>
    internal void OverrideParameters(ProphetParameters parameters) => Params = parameters;

    /// <summary>
    /// Maximises the log posterior. Default (<see cref="ProphetFitMode.Exact"/>, Algorithm Auto): the exact mode —
    /// <see cref="LinearGaussianModel"/> when the mean is linear in the parameters (linear/flat growth, additive
    /// components), else <see cref="GaussNewtonSolver"/>. Otherwise Stan's optimisers as prophet runs them (spec §10):
    /// Newton when T &lt; 100, else L-BFGS, falling back to Newton when L-BFGS fails. In the exact mode a forced Stan
    /// run is then finished by the exact solver started at Stan's point, because Stan treats |delta| as smooth and
    /// stops short of the mode at its kinks; in <see cref="ProphetFitMode.RCompatible"/> the Stan run is evaluated with
    /// rstan's own arithmetic (<see cref="RstanObjective"/>) and its result is the fit.
    /// </summary>
    private OptimizationResult Optimize(ProphetObjective objective, ProphetParameters init, CancellationToken cancellationToken)
    {
        var algorithm = FitOptions.Algorithm;
        var exact = FitOptions.Mode == ProphetFitMode.Exact;
        var x0 = init.ToUnconstrained();
        if (exact && algorithm == OptimizerAlgorithm.Auto && LinearGaussianModel.IsApplicable(objective.Data))
        {
            // Linear/flat growth with additive components: the exact MAP from the Gram matrix (spec §10 allows any
            // path to the same mode). Its value is recomputed with the reference objective.
            var exactResult = new LinearGaussianModel(objective).Solve(x0, cancellationToken);
            return exactResult with { Value = objective.Value(exactResult.X) };
        }

        if (exact && algorithm == OptimizerAlgorithm.Auto)
        {
            // Logistic growth or multiplicative components: proximal Gauss-Newton on the exact objective. The logistic
            // trend is not convex in (k, m) for any sigma_obs and has several basins, so it also runs from a start
            // fitted to every point (prophet's init uses the first and last only) and the better local optimum is kept.
            var solver = new GaussNewtonSolver(objective) { MaxIterations = Math.Min(FitOptions.Iterations, 500) };
            if (Options.Growth != Growth.Logistic)
            {
                return solver.Solve(x0, cancellationToken);
            }

            // A third start, fitted to the rows after the last changepoint, is descended from only when it is already
            // better than both other starts by f (three evaluations): then the history's end is what the first two
            // lines miss (a level shift there), and a full descent from it is worth its cost.
            var robust = RobustStart(x0);
            var best = BestOf(() => solver.Solve(x0, cancellationToken), () => solver.Solve(robust, cancellationToken));
            var tail = TailStart(x0);
            if (tail is null)
            {
                return best;
            }

            var tailValue = objective.Value(tail);
            return tailValue < objective.Value(x0) && tailValue < objective.Value(robust)
                ? BestOf(() => best, () => solver.Solve(tail, cancellationToken))
                : best;
        }

        if (!exact)
        {
            return StanOptimizer.RunRCompatible(objective.Data, x0, FitOptions, cancellationToken);
        }

        var stan = StanOptimizer.Run(objective.Evaluate, objective.Data.T, x0, FitOptions, rstanHessianScaling: false, cancellationToken);

        // Finish Stan's run at the exact mode from where it stopped (it treats |delta| as smooth and stalls at the
        // kinks): the same exact solvers as the default path, started at Stan's point.
        var polished = LinearGaussianModel.IsApplicable(objective.Data)
            ? new LinearGaussianModel(objective).Solve(stan.X, cancellationToken)
            : new GaussNewtonSolver(objective) { MaxIterations = Math.Min(FitOptions.Iterations, 500) }.Solve(stan.X, cancellationToken);
        var polishedValue = objective.Value(polished.X);
        return polishedValue <= stan.Value
            ? stan with { X = polished.X, Value = polishedValue, Iterations = stan.Iterations + polished.Iterations, Algorithm = stan.Algorithm + "+" + polished.Algorithm }
            : stan;
    }

    /// <summary>
    /// The second start of the non-convex fits: k and m by least squares over every row instead of prophet's two end
    /// points — the line through y for linear growth, the line through logit((y - floor)/(cap - floor)) for logistic
    /// growth (rate k, midpoint m) — with prophet's zeros elsewhere.
    /// </summary>
    private double[] RobustStart(double[] init) => LineStart(init, 0) ?? (double[])init.Clone();

    /// <summary>
    /// The third start of logistic growth: the line through logit(y / cap) over the rows after the last changepoint
    /// only, where the trend's rate is k + sum(delta) and no changepoint can bend it. A level shift there (m4_weekly
    /// W223 jumps twenty-fold after its last changepoint) needs a steep saturation the whole-history line cannot reach
    /// (rstan's basin); null when every row is after it (no changepoints) or fewer than three are.
    /// </summary>
    private double[]? TailStart(double[] init)
    {
        var t = PreparedHistory!.T;
        if (ChangepointsT.Length == 0)
        {
            return null;
        }

        var last = ChangepointsT.Max();
        var from = Array.FindIndex(t, v => v > last);
        return from <= 0 || t.Length - from < 3 ? null : LineStart(init, from);
    }

    /// <summary>k and m by least squares over the rows from <paramref name="from"/> on; null when the line is flat.</summary>
    private double[]? LineStart(double[] init, int from)
    {
        var history = PreparedHistory!;
        var t = history.T[from..];
        var y = history.YScaled![from..];
        var cap = history.CapScaled?[from..];
        var start = (double[])init.Clone();
        var z = Options.Growth switch
        {
            Growth.Logistic => y.Select((v, i) =>
            {
                var share = Math.Clamp(v / cap![i], 0.01, 0.99);
                return Math.Log(share / (1 - share));
            }).ToArray(),
            Growth.Linear => y,
            _ => null,
        };
        if (z is null)
        {
            return null;
        }

        double meanT = t.Average(), meanZ = z.Average(), sxx = 0, sxz = 0;
        for (var i = 0; i < t.Length; i++)
        {
            sxx += (t[i] - meanT) * (t[i] - meanT);
            sxz += (t[i] - meanT) * (z[i] - meanZ);
        }

        var slope = sxx > 0 ? sxz / sxx : 0.0;
        if (Options.Growth == Growth.Logistic)
        {
            if (slope == 0)
            {
                return null;
            }

            start[0] = slope;
            start[1] = meanT - (meanZ / slope); // logit(trend / cap) = k (t - m)
        }
        else
        {
            start[0] = slope;
            start[1] = meanZ - (slope * meanT);
        }

        return start;
    }

    /// <summary>The lower f of two fits; a fit that finds no posterior mode loses to one that does.</summary>
    private static OptimizationResult BestOf(Func<OptimizationResult> first, Func<OptimizationResult> second)
    {
        OptimizationResult? a = null, b = null;
        NoPosteriorModeException? error = null;
        try
        {
            a = first();
        }
        catch (NoPosteriorModeException e)
        {
            error = e;
        }

        try
        {
            b = second();
        }
        catch (NoPosteriorModeException e)
        {
            error = e;
        }

        if (a is null && b is null)
        {
            throw error!;
        }

        var best = a is null ? b! : b is null || a.Value <= b.Value ? a : b;
        return best with { Iterations = (a?.Iterations ?? 0) + (b?.Iterations ?? 0), ProfileEvaluations = (a?.ProfileEvaluations ?? 0) + (b?.ProfileEvaluations ?? 0) };
    }

    /// <summary>prophet's initial values (forecaster.py: linear_growth_init, logistic_growth_init, flat_growth_init).</summary>
    /// <param name="history">The prepared history.</param>
    /// <param name="data">Its Stan data.</param>
    /// <param name="rMean">The flat trend's mean summed as R sums it (x87 long double), as the R-compatible fit needs.</param>
    internal ProphetParameters InitialParameters(PreparedFrame history, ProphetStanData data, bool rMean = true)
    {
        double k, m;
        var t = history.T;
        var y = history.YScaled!;
        int i0 = 0, i1 = history.RowCount - 1;
        switch (Options.Growth)
        {
            case Growth.Linear:
                k = (y[i1] - y[i0]) / (t[i1] - t[i0]);
                m = y[i0] - (k * t[i0]);
                break;
            case Growth.Logistic:
            {
                var c0 = history.CapScaled![i0];
                var c1 = history.CapScaled[i1];
                var y0 = Math.Max(0.01 * c0, Math.Min(0.99 * c0, y[i0]));
                var y1 = Math.Max(0.01 * c1, Math.Min(0.99 * c1, y[i1]));
                var r0 = c0 / y0;
                var r1 = c1 / y1;
                if (Math.Abs(r0 - r1) <= 0.01)
                {
                    r0 = 1.05 * r0;
                }

                var l0 = Math.Log(r0 - 1);
                var l1 = Math.Log(r1 - 1);
                var span = t[i1] - t[i0];
                m = l0 * span / (l0 - l1);
                k = (l0 - l1) / span;
                break;
            }

            default:
                k = 0;
                // R prophet flat_growth_init: mean(y_scaled), summed in x87 long double as R does for the R-compatible
                // fit; the exact fit's result does not depend on its start's last bit.
                m = rMean ? RMean.Of(y) : y.Average();
                break;
        }

        return new ProphetParameters(k, m, new double[data.S], 1.0, new double[data.K]);
    }

    private static int[] ObservedRows(double[] y, int observed)
    {
        var rows = new int[observed];
        var count = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (!double.IsNaN(y[i]))
            {
                rows[count++] = i;
            }
        }

        return rows;
    }

    private static bool IsStrictlyIncreasing(DateTime[] ds)
    {
        for (var i = 1; i < ds.Length; i++)
        {
            if (ds[i] <= ds[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The distinct dates in increasing order.</summary>
    private static DateTime[] DistinctSorted(DateTime[] ds)
    {
        // Sorted by their ticks (a primitive key sorts several times faster than DateTime's comparer; DateTime
        // compares by ticks alone).
        var sorted = (DateTime[])ds.Clone();
        var ticks = new long[ds.Length];
        for (var i = 0; i < ds.Length; i++)
        {
            ticks[i] = ds[i].Ticks;
        }

        Array.Sort(ticks, sorted);
        var count = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (count == 0 || sorted[i] != sorted[count - 1])
            {
                sorted[count++] = sorted[i];
            }
        }

        return sorted[..count];
    }

    /// <summary>Stable sort order of dates (prophet sorts by ds and resets the index).</summary>
    private static int[] SortedOrder(DateTime[] ds)
    {
        var order = Enumerable.Range(0, ds.Length).ToArray();
        if (IsStrictlyIncreasing(ds))
        {
            return order; // the usual case: a history already in time order
        }

        // Array.Sort is unstable: sorted by ticks (a primitive key, several times faster than a tuple's comparer),
        // then each run of equal dates back in original order, which is prophet's stable order.
        var ticks = new long[ds.Length];
        for (var i = 0; i < ds.Length; i++)
        {
            ticks[i] = ds[i].Ticks;
        }

        Array.Sort(ticks, order);
        for (var start = 0; start < ds.Length;)
        {
            var end = start + 1;
            while (end < ds.Length && ticks[end] == ticks[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }

        return order;
    }

    private void ValidateInputs()
    {
        var o = Options;
        if (o.ChangepointRange is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProphetOptions.ChangepointRange), o.ChangepointRange, "Parameter \"changepoint_range\" must be in [0, 1].");
        }

        if (o.NChangepoints < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProphetOptions.NChangepoints), o.NChangepoints, "n_changepoints must be >= 0.");
        }

        if (!(o.ChangepointPriorScale > 0) || !(o.SeasonalityPriorScale > 0) || !(o.HolidaysPriorScale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Options), "Prior scales (changepoint, seasonality, holidays) must be > 0.");
        }

        if (o.IntervalWidth is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProphetOptions.IntervalWidth), o.IntervalWidth, "interval_width must be in (0, 1).");
        }

        if (o.UncertaintySamples < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProphetOptions.UncertaintySamples), o.UncertaintySamples, "uncertainty_samples must be >= 0 (0 turns intervals off).");
        }

        if (o.Holidays is { } holidays)
        {
            for (var i = 0; i < holidays.Count; i++)
            {
                var h = holidays[i];
                if (string.IsNullOrWhiteSpace(h.Name))
                {
                    throw new ArgumentException($"Holidays row {i}: the holiday name is empty.", nameof(Options));
                }

                if (h.LowerWindow > 0)
                {
                    throw new ArgumentException($"Holidays row {i} ('{h.Name}' on {h.Date:yyyy-MM-dd}): lower_window is {h.LowerWindow}; holiday lower_window should be <= 0.", nameof(Options));
                }

                if (h.UpperWindow < 0)
                {
                    throw new ArgumentException($"Holidays row {i} ('{h.Name}' on {h.Date:yyyy-MM-dd}): upper_window is {h.UpperWindow}; holiday upper_window should be >= 0.", nameof(Options));
                }

                if (h.PriorScale is { } ps && !double.IsNaN(ps) && !(ps > 0))
                {
                    throw new ArgumentException($"Holidays row {i} ('{h.Name}'): prior_scale is {ps}; it must be > 0.", nameof(Options));
                }

                ValidateColumnName(h.Name, checkSeasonalities: false, checkRegressors: false, checkHolidays: false);
            }
        }
    }

    /// <summary>forecaster.py: <c>validate_column_name</c>.</summary>
    private void ValidateColumnName(string name, bool checkSeasonalities, bool checkRegressors, bool checkHolidays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains(HolidayFeatures.Delimiter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Name '{name}' cannot contain \"_delim_\".", nameof(name));
        }

        if (ReservedNames.Contains(name))
        {
            throw new ArgumentException($"Name '{name}' is reserved.", nameof(name));
        }

        if (checkHolidays && Options.Holidays is { } holidays && holidays.Any(h => h.Name == name))
        {
            throw new ArgumentException($"Name '{name}' already used for a holiday.", nameof(name));
        }

        if (checkSeasonalities && _seasonalities.ContainsKey(name))
        {
            throw new ArgumentException($"Name '{name}' already used for a seasonality.", nameof(name));
        }

        if (checkRegressors && _extraRegressors.ContainsKey(name))
        {
            throw new ArgumentException($"Name '{name}' already used for an added regressor.", nameof(name));
        }
    }

    private static HashSet<string> BuildReservedNames()
    {
        string[] baseNames =
        [
            "trend", "additive_terms", "daily", "weekly", "yearly", "holidays", "zeros", "extra_regressors_additive", "yhat",
            "extra_regressors_multiplicative", "multiplicative_terms",
        ];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in baseNames)
        {
            names.Add(n);
            names.Add(n + "_lower");
            names.Add(n + "_upper");
        }

        foreach (var n in new[] { "ds", "y", "cap", "floor", "y_scaled", "cap_scaled" })
        {
            names.Add(n);
        }

        return names;
    }
}
