namespace Forecast.Statistical.Ets;

/// <summary>
/// The function Nelder-Mead minimises when R forecast fits one ETS form (etsTargetFunction.cpp:
/// <c>EtsTargetFunction::eval</c>): the parameter vector is (α, β, γ, φ as estimated, then the initial states without
/// the last seasonal one, which makes the seasonal states sum to 0 or m); outside the parameter space, or with a
/// negative multiplicative seasonal state, the value is +∞. Buffers are reused between evaluations.
/// </summary>
internal sealed class EtsObjective
{
    private readonly double[] _y;
    private readonly int _nstate, _error, _trend, _season, _m, _nmse;
    private readonly double[] _lower, _upper;
    private readonly EtsCriterion _criterion;
    private readonly EtsBounds _bounds;
    private readonly bool _optAlpha, _optBeta, _optGamma, _optPhi;
    private double _alpha, _beta, _gamma, _phi;
    private readonly double[] _state;
    private readonly double[] _ring = new double[24];
    private readonly int _horizons;
    private readonly double[] _e;
    private readonly double[] _amse = new double[30];
    private double[]? _history;

    public EtsObjective(double[] y, int nstate, int error, int trend, int season, double[] lower, double[] upper,
        EtsCriterion criterion, int nmse, EtsBounds bounds, int m, bool optAlpha, bool optBeta, bool optGamma, bool optPhi,
        double alpha, double beta, double gamma, double phi)
    {
        _y = y;
        _nstate = nstate;
        _error = error;
        _trend = trend;
        _season = season;
        _lower = lower;
        _upper = upper;
        _criterion = criterion;
        _nmse = nmse;
        _bounds = bounds;
        _m = m;
        _optAlpha = optAlpha;
        _optBeta = optBeta;
        _optGamma = optGamma;
        _optPhi = optPhi;
        _alpha = alpha;
        _beta = beta;
        _gamma = gamma;
        _phi = phi;
        int p = nstate + (season != EtsRecursions.None ? 1 : 0);
        _state = new double[p];
        // Only the AMSE criterion reads the errors beyond one step, and the likelihood reads none.
        _horizons = criterion switch
        {
            EtsCriterion.Amse => Math.Min(nmse, 30),
            EtsCriterion.Likelihood => 0,
            _ => 1,
        };
        _e = new double[y.Length];
        Lane = EtsRecursions.OneStepLane.For(error, trend, season);
        // Asked at every evaluation: decided once.
        Pairable = _horizons == 0 && Lane.Pairable && !(_m > 24 && _season != EtsRecursions.None);
    }

    public double Evaluate(ReadOnlySpan<double> par)
    {
        return Prepare(par, out double rejected) ? Finish(Recurse()) : rejected;
    }

    /// <summary>The recursion at the point last prepared (see <see cref="Finish"/>).</summary>
    public double Recurse()
    {
        if (_horizons <= 1 && !(_m > 24 && _season != EtsRecursions.None))
            return Lane.Run(_y, _state, new EtsRecursions.OneStep(_alpha, _beta, _gamma, _phi, _m < 1 ? 1 : _m, _horizons == 1), _e, _amse, _ring);
        // The AMSE criterion's k-step errors (and the NaN of a season longer than 24) from the full recursion.
        _history ??= new double[(_y.Length + 1) * _state.Length];
        _state.CopyTo(_history, 0);
        return EtsRecursions.Calculate(_y, _history, _m, _error, _trend, _season, _alpha, _beta, _gamma, _phi, _e, _amse, _nmse);
    }

    /// <summary>
    /// Whether this objective's recursion can share a loop with another's (<see cref="EtsRecursions.PairRunner"/>): the
    /// likelihood criterion and no multiplicative trend.
    /// </summary>
    public bool Pairable { get; }

    public EtsRecursions.OneStepLane Lane { get; }

    /// <summary>The recursion's inputs at the point last prepared.</summary>
    public ReadOnlySpan<double> State => _state;

    public Span<double> Ring => _ring;

    public EtsRecursions.OneStep Step => new(_alpha, _beta, _gamma, _phi, _m < 1 ? 1 : _m, false);

    /// <summary>The recursion at the point last prepared as the next lane of <paramref name="batch"/>.</summary>
    public void AddLane(EtsRecursions.LaneBatch batch) =>
        batch.Add(_state, new(_alpha, _beta, _gamma, _phi), _m < 1 ? 1 : _m, _error, _trend, _season);

    /// <summary>A point of <see cref="PrepareLane"/> (its initial state and parameters) as the next lane of <paramref name="batch"/>.</summary>
    public void AddLane(EtsRecursions.LaneBatch batch, double[] state, in EtsRecursions.LaneParameters parameters) =>
        batch.Add(state, parameters, _m < 1 ? 1 : _m, _error, _trend, _season);

    /// <summary>
    /// Takes the parameters and initial states of <paramref name="par"/>; false (with the objective's value, +∞) when
    /// they are outside the parameter space or a multiplicative seasonal state is negative, so no recursion is needed.
    /// </summary>
    public bool Prepare(ReadOnlySpan<double> par, out double value)
    {
        var verdict = PrepareDeferred(par, out value);
        if (verdict == EtsParameterSpace.Verdict.Roots)
        {
            var q = RootQuery;
            if (EtsParameterSpace.RootCondition(q.Alpha, q.Beta, q.Gamma, q.Phi, _m)) return true;
            value = double.PositiveInfinity;
            return false;
        }
        return verdict == EtsParameterSpace.Verdict.Accepted;
    }

    /// <summary>
    /// <see cref="Prepare"/> without the admissible region's root condition (<see cref="EtsParameterSpace.CheckDeferred"/>),
    /// so that a caller can decide those of several objectives together (<see cref="EtsParameterSpace.RootConditions"/>).
    /// </summary>
    public EtsParameterSpace.Verdict PrepareDeferred(ReadOnlySpan<double> par, out double value)
    {
        value = double.PositiveInfinity;
        return Examine(par, _state, ref _alpha, ref _beta, ref _gamma, ref _phi);
    }

    /// <summary>
    /// A point's recursion as one lane of an <see cref="EtsRecursions.LaneBatch"/> (<see cref="AddLane(EtsRecursions.LaneBatch, double[], in EtsRecursions.LaneParameters)"/>),
    /// its initial state in <paramref name="state"/>, without changing the point this objective last prepared (the
    /// root condition decided here); false when the point is outside the parameter space (its value is then +∞).
    /// </summary>
    public bool PrepareLane(ReadOnlySpan<double> par, double[] state, out EtsRecursions.LaneParameters parameters)
    {
        double alpha = _alpha, beta = _beta, gamma = _gamma, phi = _phi;
        var verdict = Examine(par, state, ref alpha, ref beta, ref gamma, ref phi);
        parameters = new(alpha, beta, gamma, phi);
        return verdict == EtsParameterSpace.Verdict.Accepted
            || (verdict == EtsParameterSpace.Verdict.Roots && EtsParameterSpace.RootCondition(alpha, _optBeta ? beta : 0, gamma, phi, _m));
    }

    /// <summary>How long a state buffer of <see cref="PrepareLane"/> must be.</summary>
    public int StateLength => _state.Length;

    /// <summary>
    /// check_params at <paramref name="par"/>'s parameters (<see cref="EtsParameterSpace.CheckDeferred"/>), then its
    /// initial states into <paramref name="state"/> with the implied last seasonal one; a negative multiplicative
    /// seasonal state rejects the point (EtsTargetFunction::eval).
    /// </summary>
    private EtsParameterSpace.Verdict Examine(ReadOnlySpan<double> par, Span<double> state, ref double alpha, ref double beta, ref double gamma, ref double phi)
    {
        int j = 0;
        if (_optAlpha) alpha = par[j++];
        if (_optBeta) beta = par[j++];
        if (_optGamma) gamma = par[j++];
        if (_optPhi) phi = par[j++];

        var verdict = EtsParameterSpace.CheckDeferred(_bounds, _lower, _upper, alpha, beta, gamma, phi, _optBeta, _optGamma,
            _optPhi, _m);
        if (verdict == EtsParameterSpace.Verdict.Rejected) return verdict;

        int count = 0;
        for (int i = par.Length - _nstate; i < par.Length; i++) state[count++] = par[i];
        if (_season != EtsRecursions.None)
        {
            double sum = 0;
            for (int i = 1 + (_trend != EtsRecursions.None ? 1 : 0); i < _nstate; i++) sum += state[i];
            state[count++] = _m * (_season == EtsRecursions.Mult ? 1 : 0) - sum;
        }
        if (_season == EtsRecursions.Mult)
        {
            double min = double.PositiveInfinity;
            int start = _trend != EtsRecursions.None ? 2 : 1;
            for (int i = start; i < count; i++) if (state[i] < min) min = state[i];
            if (min < 0) return EtsParameterSpace.Verdict.Rejected;
        }
        return verdict;
    }

    /// <summary>The root condition <see cref="PrepareDeferred"/> left open (β = 0 when not estimated, as check_params passes it).</summary>
    public EtsParameterSpace.RootQuery RootQuery => new(_alpha, _optBeta ? _beta : 0, _gamma, _phi);

    /// <summary>The period of the root condition.</summary>
    public int Period => _m;

    /// <summary>The objective's value from the recursion's result at the point last prepared.</summary>
    public double Finish(double lik)
    {
        if (lik < -1e10) lik = -1e10;
        if (double.IsNaN(lik)) lik = double.PositiveInfinity;
        if (Math.Abs(lik + 99999) < 1e-7) lik = double.PositiveInfinity;

        switch (_criterion)
        {
            case EtsCriterion.Likelihood:
                return lik;
            case EtsCriterion.Mse:
                return _amse[0];
            case EtsCriterion.Amse:
            {
                double mean = 0;
                for (int i = 0; i < _nmse; i++) mean += _amse[i] / _nmse;
                return mean;
            }
            case EtsCriterion.Sigma:
            {
                double mean = 0;
                for (int i = 0; i < _e.Length; i++) mean += _e[i] * _e[i] / _e.Length;
                return mean;
            }
            default:
            {
                double mean = 0;
                for (int i = 0; i < _e.Length; i++) mean += Math.Abs(_e[i]) / _e.Length;
                return mean;
            }
        }
    }
}
