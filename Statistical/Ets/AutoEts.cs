using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Automatic exponential smoothing as R forecast 8.20's <c>ets(y)</c>: every error/trend/damping/season combination
/// the data allow is fitted by maximum likelihood within the admissible parameter space and the one with the smallest
/// AICc is returned. By default (R's): additive and multiplicative errors, no or additive (possibly damped) trend,
/// no/additive/multiplicative season; multiplicative models only for strictly positive data; additive errors never
/// with a multiplicative season or trend (infinite-variance forms); seasonal forms only for 2 ≤ m ≤ 24 and more than
/// m observations. A constant series gets simple exponential smoothing with α = 0.99999, as R.
/// </summary>
public sealed record AutoEts : IStatisticalModel
{
    public string Name => "ets";

    /// <summary>
    /// The forms to consider, R's three letters (error, trend, season) each N/A/M or Z = choose: "ZZZ" (default),
    /// "ANN", "MAM", "ZZN"… 
    /// </summary>
    public string Model { get; init; } = "ZZZ";

    /// <summary>Damped trend: true, false, or null to try both (R's default).</summary>
    public bool? Damped { get; init; }

    /// <summary>Also try multiplicative trends when the trend letter is Z (R's <c>allow.multiplicative.trend</c>, default false).</summary>
    public bool AllowMultiplicativeTrend { get; init; }

    /// <summary>Only additive components (R's <c>additive.only</c>).</summary>
    public bool AdditiveOnly { get; init; }

    /// <summary>Forbid the infinite-variance forms (R's <c>restrict</c>, default true).</summary>
    public bool Restrict { get; init; } = true;

    public InformationCriterion InformationCriterion { get; init; } = InformationCriterion.Aicc;

    public EtsCriterion OptimizationCriterion { get; init; } = EtsCriterion.Likelihood;

    /// <summary>Horizons averaged by <see cref="EtsCriterion.Amse"/> (R's <c>nmse</c>, 1..30, default 3).</summary>
    public int Nmse { get; init; } = 3;

    public EtsBounds Bounds { get; init; } = EtsBounds.Both;

    /// <summary>Lower bounds of (α, β, γ, φ), R's default (0.0001, 0.0001, 0.0001, 0.8).</summary>
    public IReadOnlyList<double> Lower { get; init; } = EtsEstimation.DefaultLower;

    /// <summary>Upper bounds of (α, β, γ, φ), R's default (0.9999, 0.9999, 0.9999, 0.98).</summary>
    public IReadOnlyList<double> Upper { get; init; } = EtsEstimation.DefaultUpper;

    /// <summary>Nelder-Mead's evaluation budget per form (R's <c>maxit</c>, 2000).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>
    /// How many forms are fitted at once (they are independent fits): 1, the default, fits them on the calling thread,
    /// two or three forms' likelihood recursions at a time in one loop — the right choice when many series are fitted in
    /// parallel, as the Trainer does; 2 or more
    /// (−1: one per core) splits the forms into as many groups, fitted at the same time, which cuts one series' wall time. The result is the same either way.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    IFittedModel IStatisticalModel.Fit(ReadOnlySpan<double> y, int seasonLength) => Fit(y, seasonLength);

    /// <summary>Fits the best form to <paramref name="y"/> (missing values: the longest stretch without any is used, as R's <c>na.contiguous</c>).</summary>
    public EtsModel Fit(ReadOnlySpan<double> y, int seasonLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        if (MaxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 or at least 1.");
        if (Nmse is < 1 or > 30) throw new ArgumentOutOfRangeException(nameof(Nmse), Nmse, "nmse must be in 1..30.");
        var (error, trend, season) = ParseModel(Model);
        if (Lower.Count != 4 || Upper.Count != 4 || Lower.Zip(Upper).Any(b => b.Second < b.First))
            throw new ArgumentException("Lower and upper give (alpha, beta, gamma, phi) bounds, each lower <= upper.");

        double[] data = SeriesGuards.LongestFiniteStretch(y, "ets");
        int m = seasonLength;
        // R: ets(y) on constant data (model not given) is simple exponential smoothing with alpha 0.99999.
        if (Model == "ZZZ" && Damped is null && SeriesGuards.IsConstant(data))
            return SimpleExponentialSmoothing.Constant(data, m);

        if (m < 1 || data.Length <= m) season = 'N';
        if (m == 1)
        {
            if (season is 'A' or 'M') throw new UnsuitableSeriesException("A seasonal ETS model needs a season length above 1 (the data are non-seasonal).");
            season = 'N';
        }
        if (m > 24)
        {
            if (season is 'A' or 'M')
                throw new UnsuitableSeriesException($"ETS handles season lengths up to 24; this series has {m}. Use model Z for the season (it is then ignored) or another model.");
            season = 'N';
        }
        if (Restrict && ((error == 'A' && (trend == 'M' || season == 'M')) || (error == 'M' && trend == 'M' && season == 'A')
            || (AdditiveOnly && (error == 'M' || trend == 'M' || season == 'M'))))
            throw new ArgumentException($"ETS model {Model} is a forbidden combination (infinite forecast variance); set Restrict = false to allow it.");

        bool positive = data.Min() > 0;
        if (!positive && error == 'M')
            throw new UnsuitableSeriesException("A multiplicative-error ETS model needs strictly positive data; this series has zeros or negative values. Use additive errors (A) or Z.");
        if (Damped == true && trend == 'N') throw new ArgumentException("A damped ETS model needs a trend (A or M).");

        int n = data.Length;
        int npars = 2;
        if (trend is 'A' or 'M') npars += 2;
        if (season is 'A' or 'M') npars += m;
        if (Damped is { } d && d) npars += 1;
        var settings = new EtsSettings([.. Lower], [.. Upper], OptimizationCriterion, Nmse, Bounds, MaxIterations);
        if (n <= npars + 4)
            return SimpleExponentialSmoothing.ForTinySeries(data, m, error, trend, season, Damped);

        char[] errors = error == 'Z' ? ['A', 'M'] : [error];
        char[] trends = trend == 'Z' ? (AllowMultiplicativeTrend ? ['N', 'A', 'M'] : ['N', 'A']) : [trend];
        char[] seasons = season == 'Z' ? ['N', 'A', 'M'] : [season];
        bool[] dampings = Damped is { } dd ? [dd] : [true, false];

        var forms = new List<EtsForm>();
        foreach (char e in errors)
        foreach (char t in trends)
        foreach (char s in seasons)
        foreach (bool damped in dampings)
        {
            if (t == 'N' && damped) continue;
            if (Restrict)
            {
                if (e == 'A' && (t == 'M' || s == 'M')) continue;
                if (e == 'M' && t == 'M' && s == 'A') continue;
                if (AdditiveOnly && (e == 'M' || t == 'M' || s == 'M')) continue;
            }
            if (!positive && e == 'M') continue;
            forms.Add(new EtsForm(Component(e), Component(t), damped, Component(s)));
        }

        // The forms are independent fits: on one thread, or in groups on several threads (each group's recursions
        // sharing loops as on one thread); either way the choice below runs in R's order, so the result does not
        // depend on the parallelism.
        var fits = new EtsModel?[forms.Count];
        var errorsByForm = new Exception?[forms.Count];
        int threads = MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
        int groups = Math.Max(1, Math.Min(threads, forms.Count));
        if (groups == 1)
        {
            PairedEstimation.FitAll(data, forms, m, settings, fits, errorsByForm);
        }
        else
        {
            // Round robin, so that the costly seasonal forms, listed together, are spread over the groups.
            Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = groups }, g =>
            {
                var members = Enumerable.Range(0, forms.Count).Where(i => i % groups == g).ToArray();
                var groupFits = new EtsModel?[members.Length];
                var groupErrors = new Exception?[members.Length];
                PairedEstimation.FitAll(data, [.. members.Select(i => forms[i])], m, settings, groupFits, groupErrors);
                for (int k = 0; k < members.Length; k++)
                {
                    fits[members[k]] = groupFits[k];
                    errorsByForm[members[k]] = groupErrors[k];
                }
            });
        }

        EtsModel? best = null;
        double bestIc = double.PositiveInfinity;
        Exception? lastError = null;
        for (int i = 0; i < forms.Count; i++)
        {
            if (errorsByForm[i] is { } ex)
            {
                lastError = ex;
                continue;
            }
            if (fits[i] is not { } fit) continue;
            double ic = InformationCriterion switch
            {
                InformationCriterion.Aic => fit.Aic,
                InformationCriterion.Bic => fit.Bic,
                _ => fit.AiccValue,
            };
            if (!double.IsNaN(ic) && ic < bestIc)
            {
                best = fit;
                bestIc = ic;
            }
        }
        return best ?? throw new ModelFitException("No ETS model could be fitted to the series.", lastError);
    }

    private static EtsComponent Component(char c) => c switch
    {
        'N' => EtsComponent.None,
        'A' => EtsComponent.Additive,
        _ => EtsComponent.Multiplicative,
    };

    private static (char Error, char Trend, char Season) ParseModel(string model)
    {
        if (model is not { Length: 3 } || "AMZ".IndexOf(model[0]) < 0 || "NAMZ".IndexOf(model[1]) < 0 || "NAMZ".IndexOf(model[2]) < 0)
            throw new ArgumentException($"ETS model '{model}' is not three letters: error A/M/Z, trend N/A/M/Z, season N/A/M/Z (e.g. ZZZ, MAM, ANN).", nameof(model));
        return (model[0], model[1], model[2]);
    }
}
