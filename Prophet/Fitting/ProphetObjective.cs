using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// The log posterior of prophet.stan (model block: priors on k, m, delta, sigma_obs, beta and the normal
/// likelihood; spec §8) as Stan's optimiser sees it: constants dropped, no Jacobian, sigma_obs = exp(u).
/// <see cref="Evaluate"/> returns f = -L and its analytic gradient in the unconstrained vector
/// [k, m, delta[S], u, beta[K]]. Allocation-free after construction; one instance per thread.
/// </summary>
internal sealed class ProphetObjective
{
    private readonly ProphetStanData _data;
    private readonly int[] _firstActiveRow; // rows i >= _firstActiveRow[j] have t_i >= t_change[j] (A[i, j] = 1)
    private readonly bool _hasMultiplicative;
    private readonly double[] _trend;
    private readonly double[] _multiplier; // 1 + X·(beta ∘ s_m)
    private readonly double[] _mean; // mu of the last evaluation
    private readonly double[] _weight; // dL/dmu = residual / sigma²
    private readonly double[] _trendGradient; // dL/dtrend
    private readonly double[] _rate; // logistic: k + A·delta per row
    private readonly double[] _offset; // logistic: m + A·gamma per row
    private readonly double[] _sigmoid; // logistic: inv_logit(rate·(t - offset)) per row
    private readonly double[] _gamma;
    private readonly double[] _mPrevious;
    private readonly double[] _kCumulative;
    private readonly double[] _betaA;
    private readonly double[] _betaM;
    private readonly double[] _gradA;
    private readonly double[] _gradM;
    private readonly double[] _suffixA;
    private readonly double[] _suffixB;
    private double[]? _xByColumn;

    public ProphetObjective(ProphetStanData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        var t = data.TimeScaled;
        for (var i = 1; i < data.T; i++)
        {
            if (t[i] < t[i - 1])
            {
                throw new ArgumentException($"Stan data t must be sorted ascending (t[{i}] = {t[i]} < t[{i - 1}] = {t[i - 1]}).", nameof(data));
            }
        }

        for (var j = 1; j < data.S; j++)
        {
            if (data.TChange[j] < data.TChange[j - 1])
            {
                throw new ArgumentException($"Stan data t_change must be sorted ascending (t_change[{j}] < t_change[{j - 1}]).", nameof(data));
            }
        }

        if (data.X.Length != data.T * data.K)
        {
            throw new ArgumentException($"Stan data X has {data.X.Length} values; expected T*K = {data.T}*{data.K}.", nameof(data));
        }

        _firstActiveRow = FirstActiveRows(data);

        _hasMultiplicative = data.SM.Any(v => v != 0);
        _trend = FitBuffers.Rent(data.T);
        _multiplier = FitBuffers.Rent(data.T);
        _mean = FitBuffers.Rent(data.T);
        _weight = FitBuffers.Rent(data.T);
        _trendGradient = FitBuffers.Rent(data.T);
        _rate = FitBuffers.Rent(data.T);
        _offset = FitBuffers.Rent(data.T);
        _sigmoid = FitBuffers.Rent(data.T);
        _gamma = FitBuffers.Rent(data.S);
        _mPrevious = FitBuffers.Rent(data.S);
        _kCumulative = FitBuffers.Rent(data.S + 1);
        _betaA = FitBuffers.Rent(data.K);
        _betaM = FitBuffers.Rent(data.K);
        _gradA = FitBuffers.Rent(data.K);
        _gradM = FitBuffers.Rent(data.K);
        _suffixA = FitBuffers.Rent(data.T + 1);
        _suffixB = FitBuffers.Rent(data.T + 1);
    }

    public ProphetStanData Data => _data;

    /// <summary>Length of the unconstrained parameter vector: 3 + S + K.</summary>
    public int Dimension => 3 + _data.S + _data.K;

    /// <summary>
    /// Readies the design of a model whose mean is linear in the parameters (no multiplicative column) for
    /// <see cref="FillDesign"/> without evaluating anything: its only dependence on the point is the multiplier, 1.
    /// </summary>
    internal void PrepareLinearDesign()
    {
        if (_hasMultiplicative || _data.TrendIndicator == 1)
        {
            throw new InvalidOperationException("The design depends on the point: evaluate the objective first.");
        }

        Array.Fill(_multiplier, 1.0);
    }

    /// <summary>
    /// The gradient of the last <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/> if it was at exactly
    /// <paramref name="x"/> (then <see cref="LastMean"/> is that point's too); false otherwise.
    /// </summary>
    internal bool TryLastGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (_lastGradientX is null || _lastGradient is null || !x.SequenceEqual(_lastGradientX) || _lastGradientValid != Evaluations)
        {
            return false;
        }

        _lastGradient.CopyTo(gradient);
        return true;
    }

    private double[]? _lastGradientX;
    private double[]? _lastGradient;
    private long _lastGradientValid = -1; // the evaluation count at which the stored gradient was computed

    /// <summary>Number of Evaluate calls so far (gradient evaluations, for diagnostics and benchmarks).</summary>
    public long Evaluations { get; private set; }

    /// <summary>The log posterior L (Stan's <c>log_prob</c> with propto, no Jacobian) at constrained parameters.</summary>
    public double LogPosterior(ProphetParameters parameters)
    {
        var x = parameters.ToUnconstrained();
        return -Evaluate(x, new double[x.Length]);
    }

    /// <summary>f = -L at the unconstrained point <paramref name="x"/>; writes df/dx into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) => Evaluate(x, gradient, withGradient: true);

    /// <summary>
    /// f = -L at <paramref name="x"/> without the gradient (half the work); the trend, multiplier and sum of squares of
    /// the point are kept for <see cref="MeanJacobian"/> and <see cref="LastSquaredError"/> as after <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/>.
    /// </summary>
    public double Value(ReadOnlySpan<double> x) => Evaluate(x, default, withGradient: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Evaluate(ReadOnlySpan<double> x, Span<double> gradient, bool withGradient)
    {
        Evaluations++;
        var d = _data;
        int n = d.T, s = d.S, kCols = d.K;
        var k = x[0];
        var m = x[1];
        var delta = x.Slice(2, s);
        var u = x[2 + s];
        var beta = x.Slice(3 + s, kCols);
        var sigma = Math.Exp(u);
        var sigma2 = sigma * sigma;

        ComputeTrend(k, m, delta);

        for (var j = 0; j < kCols; j++)
        {
            _betaA[j] = beta[j] * d.SA[j];
            _betaM[j] = beta[j] * d.SM[j];
        }

        // prophet.stan likelihood: y ~ normal(trend .* (1 + X*(beta .* s_m)) + X*(beta .* s_a), sigma_obs)
        var xValues = d.X;
        var y = d.Y;
        var squaredError = 0.0;
        for (var i = 0; i < n; i++)
        {
            var xRow = new ReadOnlySpan<double>(xValues, i * kCols, kCols);
            var additive = Dot(xRow, _betaA);
            var multiplier = 1.0;
            if (_hasMultiplicative)
            {
                multiplier += Dot(xRow, _betaM);
            }

            _multiplier[i] = multiplier;
            var mean = (_trend[i] * multiplier) + additive;
            _mean[i] = mean;
            var residual = y[i] - mean;
            squaredError += residual * residual;
            _weight[i] = residual / sigma2;
        }

        LastSquaredError = squaredError;

        // Priors (prophet.stan model block): k, m ~ normal(0, 5); delta ~ double_exponential(0, tau);
        // sigma_obs ~ normal(0, 0.5); beta ~ normal(0, sigmas). Constants dropped as Stan's `~` does.
        var logPosterior = (-k * k / 50.0) - (m * m / 50.0) - (2.0 * sigma2) - (n * u) - (squaredError / (2.0 * sigma2));
        var absDelta = 0.0;
        for (var j = 0; j < s; j++)
        {
            absDelta += Math.Abs(delta[j]);
        }

        logPosterior -= absDelta / d.Tau;
        for (var j = 0; j < kCols; j++)
        {
            logPosterior -= beta[j] * beta[j] / (2.0 * d.Sigmas[j] * d.Sigmas[j]);
        }

        if (!withGradient)
        {
            return -logPosterior;
        }

        // Gradient of L; negated at the end.
        Array.Clear(_gradA);
        Array.Clear(_gradM);
        for (var i = 0; i < n; i++)
        {
            var w = _weight[i];
            _trendGradient[i] = w * _multiplier[i];
            if (w == 0)
            {
                continue;
            }

            var xRow = new ReadOnlySpan<double>(xValues, i * kCols, kCols);
            Axpy(w, xRow, _gradA);
            if (_hasMultiplicative)
            {
                Axpy(w * _trend[i], xRow, _gradM);
            }
        }

        gradient.Clear();
        for (var j = 0; j < kCols; j++)
        {
            var g = (d.SA[j] * _gradA[j]) + (d.SM[j] * _gradM[j]) - (beta[j] / (d.Sigmas[j] * d.Sigmas[j]));
            gradient[3 + s + j] = -g;
        }

        gradient[2 + s] = -((-4.0 * sigma2) - n + (squaredError / sigma2));

        TrendGradient(k, delta, gradient);
        gradient[0] -= -k / 25.0;
        gradient[1] -= -m / 25.0;
        for (var j = 0; j < s; j++)
        {
            // d|delta|/ddelta as Stan's autodiff of fabs: sign, 0 at 0.
            gradient[2 + j] -= -Math.Sign(delta[j]) / d.Tau;
        }

        _lastGradientX ??= new double[x.Length];
        _lastGradient ??= new double[x.Length];
        x.CopyTo(_lastGradientX);
        gradient.CopyTo(_lastGradient);
        _lastGradientValid = Evaluations;
        return -logPosterior;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeTrend(double k, double m, ReadOnlySpan<double> delta)
    {
        var d = _data;
        var t = d.TimeScaled;
        int n = d.T, s = d.S;
        switch (d.TrendIndicator)
        {
            case 0:
            {
                // prophet.stan linear_trend: (k + A*delta) .* t + (m + A*(-t_change .* delta))
                var rate = k;
                var offset = m;
                var next = 0;
                for (var i = 0; i < n; i++)
                {
                    while (next < s && _firstActiveRow[next] <= i)
                    {
                        rate += delta[next];
                        offset += -d.TChange[next] * delta[next];
                        next++;
                    }

                    _trend[i] = (rate * t[i]) + offset;
                }

                break;
            }

            case 1:
            {
                // prophet.stan logistic_gamma: k_s = [k, k + cumsum(delta)];
                // gamma[i] = (t_change[i] - m_pr) * (1 - k_s[i] / k_s[i+1]); m_pr += gamma[i]
                _kCumulative[0] = k;
                var cumulative = 0.0;
                for (var j = 0; j < s; j++)
                {
                    cumulative += delta[j];
                    _kCumulative[j + 1] = k + cumulative;
                }

                var mPr = m;
                for (var j = 0; j < s; j++)
                {
                    _mPrevious[j] = mPr;
                    _gamma[j] = (d.TChange[j] - mPr) * (1.0 - (_kCumulative[j] / _kCumulative[j + 1]));
                    mPr += _gamma[j];
                }

                // logistic_trend: cap .* inv_logit((k + A*delta) .* (t - (m + A*gamma)))
                var rate = k;
                var offset = m;
                var next = 0;
                for (var i = 0; i < n; i++)
                {
                    while (next < s && _firstActiveRow[next] <= i)
                    {
                        rate += delta[next];
                        offset += _gamma[next];
                        next++;
                    }

                    _rate[i] = rate;
                    _offset[i] = offset;
                    var sig = InverseLogit(rate * (t[i] - offset));
                    _sigmoid[i] = sig;
                    _trend[i] = d.Cap[i] * sig;
                }

                break;
            }

            default:
                // prophet.stan flat_trend: rep_vector(m, T)
                Array.Fill(_trend, m);
                break;
        }
    }

    /// <summary>Subtracts dL/d(k, m, delta) through the trend from <paramref name="gradient"/> (which holds -dL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TrendGradient(double k, ReadOnlySpan<double> delta, Span<double> gradient)
    {
        var d = _data;
        var t = d.TimeScaled;
        int n = d.T, s = d.S;
        var gK = 0.0;
        var gM = 0.0;
        switch (d.TrendIndicator)
        {
            case 0:
            {
                // d trend_i / d delta_j = (t_i - t_change_j) for rows with t_i >= t_change_j: suffix sums.
                _suffixA[n] = 0;
                _suffixB[n] = 0;
                for (var i = n - 1; i >= 0; i--)
                {
                    var g = _trendGradient[i];
                    _suffixA[i] = _suffixA[i + 1] + g;
                    _suffixB[i] = _suffixB[i + 1] + (g * t[i]);
                }

                gK = _suffixB[0];
                gM = _suffixA[0];
                for (var j = 0; j < s; j++)
                {
                    var first = _firstActiveRow[j];
                    gradient[2 + j] -= _suffixB[first] - (d.TChange[j] * _suffixA[first]);
                }

                break;
            }

            case 1:
            {
                // trend = cap * sigmoid(rate * (t - offset)); adjoints of rate (-> k, delta) and offset (-> m, gamma).
                _suffixA[n] = 0;
                _suffixB[n] = 0;
                for (var i = n - 1; i >= 0; i--)
                {
                    var sig = _sigmoid[i]; // inv_logit(rate_i (t_i - offset_i)) of the last ComputeTrend
                    var h = _trendGradient[i] * d.Cap[i] * sig * (1.0 - sig);
                    _suffixA[i] = _suffixA[i + 1] + (h * (t[i] - _offset[i])); // dL/drate
                    _suffixB[i] = _suffixB[i + 1] + (-h * _rate[i]); // dL/doffset
                }

                gK = _suffixA[0];
                gM = _suffixB[0];
                Span<double> kCumulativeAdjoint = s + 1 <= 256 ? stackalloc double[s + 1] : new double[s + 1];
                kCumulativeAdjoint.Clear();
                var mPreviousAdjoint = 0.0; // adjoint of m_pr after step j
                for (var j = s - 1; j >= 0; j--)
                {
                    var first = _firstActiveRow[j];
                    gradient[2 + j] -= _suffixA[first];
                    var gammaAdjoint = _suffixB[first] + mPreviousAdjoint;
                    var ratio = _kCumulative[j] / _kCumulative[j + 1];
                    var distance = d.TChange[j] - _mPrevious[j];
                    mPreviousAdjoint += gammaAdjoint * -(1.0 - ratio);
                    kCumulativeAdjoint[j] += gammaAdjoint * (-distance / _kCumulative[j + 1]);
                    kCumulativeAdjoint[j + 1] += gammaAdjoint * (distance * _kCumulative[j] / (_kCumulative[j + 1] * _kCumulative[j + 1]));
                }

                gM += mPreviousAdjoint;
                // k_s[i] = k + sum_{l < i} delta_l
                var suffix = 0.0;
                for (var i = s; i >= 0; i--)
                {
                    if (i < s)
                    {
                        gradient[2 + i] -= suffix; // delta_i feeds k_s[i+1..s]
                    }

                    suffix += kCumulativeAdjoint[i];
                }

                gK += suffix;
                break;
            }

            default:
                for (var i = 0; i < n; i++)
                {
                    gM += _trendGradient[i];
                }

                break;
        }

        gradient[0] -= gK;
        gradient[1] -= gM;
    }

    /// <summary>Σ residual² of the last <see cref="Evaluate"/> call.</summary>
    internal double LastSquaredError { get; private set; }

    /// <summary>The scaled trend of the last <see cref="Evaluate"/> (or <see cref="TrendOnly"/>) call.</summary>
    internal ReadOnlySpan<double> LastTrend => _trend;

    /// <summary>mu (prophet.stan's mean of y) of the last evaluation.</summary>
    internal ReadOnlySpan<double> LastMean => _mean;

    /// <summary>1 + X·(beta ∘ s_m) of the last <see cref="Evaluate"/> call.</summary>
    internal ReadOnlySpan<double> LastMultiplier => _multiplier;

    /// <summary>
    /// d trend_i / d(k, m, delta) at the point of the last <see cref="Evaluate"/> call, written to
    /// jacobian[i * stride + a] for a in 0..2+S (k, m, delta_0..). Linear and flat trends are direct; for the
    /// logistic trend the gamma recursion of prophet.stan (logistic_gamma) is differentiated forwards:
    /// d gamma_j = -(1 - k_j/k_{j+1}) d m_j + (t_change_j - m_j)(k_j d k_{j+1} / k_{j+1}² - d k_j / k_{j+1}), where
    /// m_j = m + Σ_{l&lt;j} gamma_l and k_j = k + Σ_{l&lt;j} delta_l; a row with a active changepoints has rate k_a and
    /// offset m_a, so d trend = cap s(1 - s) ((t - m_a) d k_a - k_a d m_a).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void TrendJacobian(double[] jacobian, int stride) => TrendJacobian(jacobian, stride, 1);

    /// <summary>
    /// <see cref="TrendJacobian(double[], int)"/> with element (i, a) at jacobian[i·rowStride + a·columnStride]:
    /// (stride, 1) is row-major, (1, stride) column-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void TrendJacobian(double[] jacobian, int rowStride, int columnStride)
    {
        var d = _data;
        var t = d.TimeScaled;
        int n = d.T, s = d.S, p = 2 + s;
        if (columnStride == 1)
        {
            for (var i = 0; i < n; i++)
            {
                jacobian.AsSpan(i * rowStride, p).Clear();
            }
        }
        else
        {
            for (var a = 0; a < p; a++)
            {
                jacobian.AsSpan(a * columnStride, n).Clear();
            }
        }

        switch (d.TrendIndicator)
        {
            case 0:
                for (var i = 0; i < n; i++)
                {
                    var offset = i * rowStride;
                    jacobian[offset] = t[i];
                    jacobian[offset + columnStride] = 1.0;
                    for (var j = 0; j < s && _firstActiveRow[j] <= i; j++)
                    {
                        jacobian[offset + ((2 + j) * columnStride)] = t[i] - d.TChange[j];
                    }
                }

                break;
            case 1:
            {
                // dk[a], dm[a]: derivatives of k_a and m_a (rows of length p), a = 0..S.
                var dk = FitBuffers.Rent((s + 1) * p);
                var dm = FitBuffers.Rent((s + 1) * p);
                LogisticSegmentDerivatives(dk, dm);

                var active = 0;
                for (var i = 0; i < n; i++)
                {
                    while (active < s && _firstActiveRow[active] <= i)
                    {
                        active++;
                    }

                    var sig = _sigmoid[i];
                    var scale = d.Cap[i] * sig * (1.0 - sig);
                    var gap = t[i] - _offset[i];
                    var offset = i * rowStride;
                    // Only k, m and the deltas of the changepoints at or before row i move its rate and offset.
                    var used = Math.Min(p, 2 + active);
                    for (var a = 0; a < used; a++)
                    {
                        jacobian[offset + (a * columnStride)] = scale * ((gap * dk[(active * p) + a]) - (_rate[i] * dm[(active * p) + a]));
                    }
                }

                break;
            }

            default:
                for (var i = 0; i < n; i++)
                {
                    jacobian[(i * rowStride) + columnStride] = 1.0;
                }

                break;
        }
    }

    /// <summary>
    /// d mu_i / dθ for θ = [k, m, delta, beta] (p = 2 + S + K columns) at the point of the last evaluation, with element
    /// (i, a) at jacobian[i·rowStride + a·columnStride]: the trend's Jacobian times 1 + X·(beta ∘ s_m), and
    /// X_ij (s_a_j + s_m_j trend_i) for beta (prophet.stan: mu = trend .* (1 + X*(beta .* s_m)) + X*(beta .* s_a)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void MeanJacobian(double[] jacobian, int rowStride, int columnStride) => MeanJacobian(jacobian, rowStride, columnStride, includeBeta: true);

    /// <summary>
    /// <see cref="MeanJacobian(double[], int, int)"/>; without <paramref name="includeBeta"/> the beta columns are left as
    /// they are (they are X·s_a, constant, when no component is multiplicative).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void MeanJacobian(double[] jacobian, int rowStride, int columnStride, bool includeBeta)
    {
        var d = _data;
        int n = d.T, s = d.S, k = d.K;
        TrendJacobian(jacobian, rowStride, columnStride);
        for (var i = 0; i < n; i++)
        {
            var offset = i * rowStride;
            var scale = _multiplier[i];
            if (scale != 1.0)
            {
                for (var a = 0; a < 2 + s; a++)
                {
                    jacobian[offset + (a * columnStride)] *= scale;
                }
            }

            if (includeBeta)
            {
                for (var j = 0; j < k; j++)
                {
                    jacobian[offset + ((2 + s + j) * columnStride)] = d.X[(i * k) + j] * (d.SA[j] + (d.SM[j] * _trend[i]));
                }
            }
        }
    }

    /// <summary>True when some component is multiplicative (the beta columns of the mean's Jacobian move with the trend).</summary>
    internal bool HasMultiplicative => _hasMultiplicative;

    /// <summary>
    /// For each column of the mean's Jacobian (k, m, deltas, betas) and one more (a response): the first row that can
    /// be non-zero. A changepoint's column is zero before its changepoint; flat growth has zero k and delta columns.
    /// </summary>
    internal int[] FirstNonZeroRows()
    {
        var d = _data;
        var rows = new int[3 + d.S + d.K];
        var flat = d.TrendIndicator == 2;
        rows[0] = flat ? d.T : 0;
        for (var j = 0; j < d.S; j++)
        {
            rows[2 + j] = flat ? d.T : _firstActiveRow[j];
        }

        return rows;
    }

    /// <summary>For each changepoint j, the first row with t ≥ t_change[j] (A[i, j] = 1 from there on; t is sorted).</summary>
    internal static int[] FirstActiveRows(ProphetStanData data)
    {
        var rows = new int[data.S];
        var row = 0;
        for (var j = 0; j < data.S; j++)
        {
            while (row < data.T && data.TimeScaled[row] < data.TChange[j])
            {
                row++;
            }

            rows[j] = row;
        }

        return rows;
    }

    /// <summary>
    /// The trend part of the mean's Jacobian at the last evaluated point in segmented form (<see cref="SegmentedDesign"/>:
    /// per segment U_g, V_g, per row c1, c2, multiplier included), and with <paramref name="includeBeta"/> its beta
    /// columns X_ij (s_a_j + s_m_j trend_i) into columns[j·stride ..].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillDesign(SegmentedDesign design, double[] columns, int stride, bool includeBeta)
    {
        var d = _data;
        var t = d.TimeScaled;
        int n = d.T, s = d.S, p = 2 + s, k = d.K;
        design.SetSegments(_firstActiveRow);
        design.LinearChangepoints = d.TrendIndicator == 0 ? d.TChange : null;
        design.Flat = d.TrendIndicator is not 0 and not 1;
        Array.Clear(design.U);
        Array.Clear(design.V);
        var u = design.U;
        var v = design.V;
        switch (d.TrendIndicator)
        {
            case 0:
                for (var g = 0; g <= s; g++)
                {
                    u[g * p] = 1.0;
                    v[(g * p) + 1] = 1.0;
                    for (var j = 0; j < g; j++)
                    {
                        u[(g * p) + 2 + j] = 1.0;
                        v[(g * p) + 2 + j] = -d.TChange[j];
                    }
                }

                for (var i = 0; i < n; i++)
                {
                    design.C1[i] = _multiplier[i] * t[i];
                    design.C2[i] = _multiplier[i];
                }

                break;
            case 1:
            {
                LogisticSegmentDerivatives(u, v);
                for (var i = 0; i < n; i++)
                {
                    var sig = _sigmoid[i];
                    var scale = _multiplier[i] * d.Cap[i] * sig * (1.0 - sig);
                    design.C1[i] = scale * (t[i] - _offset[i]);
                    design.C2[i] = -scale * _rate[i];
                }

                break;
            }

            default:
                for (var g = 0; g <= s; g++)
                {
                    v[(g * p) + 1] = 1.0;
                }

                for (var i = 0; i < n; i++)
                {
                    design.C1[i] = 0.0;
                    design.C2[i] = _multiplier[i];
                }

                break;
        }

        if (includeBeta && !_hasMultiplicative && _xByColumn is null)
        {
            // Columns X_ij · s_a_j, written row by row straight from X (one pass; the by-column copy of X is kept only
            // for the multiplicative fits that refill these columns at every iteration).
            var xValues = d.X;
            for (var i = 0; i < n; i++)
            {
                var row = xValues.AsSpan(i * k, k);
                for (var j = 0; j < k; j++)
                {
                    columns[(j * stride) + i] = row[j] * d.SA[j];
                }
            }
        }
        else if (includeBeta)
        {
            var x = XByColumn();
            for (var j = 0; j < k; j++)
            {
                var column = columns.AsSpan(j * stride, n);
                var source = x.AsSpan(j * n, n);
                double sa = d.SA[j], sm = d.SM[j];
                if (sm == 0)
                {
                    for (var i = 0; i < n; i++)
                    {
                        column[i] = source[i] * sa;
                    }
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        column[i] = source[i] * (sa + (sm * _trend[i]));
                    }
                }
            }
        }
    }

    /// <summary>Column j of X (the T values of feature j).</summary>
    internal ReadOnlySpan<double> XColumn(int j) => XByColumn().AsSpan(j * _data.T, _data.T);

    /// <summary>X by columns (K × T), built on first use.</summary>
    private double[] XByColumn()
    {
        if (_xByColumn is null)
        {
            var d = _data;
            var x = FitBuffers.Rent(d.T * d.K);
            for (var i = 0; i < d.T; i++)
            {
                for (var j = 0; j < d.K; j++)
                {
                    x[(j * d.T) + i] = d.X[(i * d.K) + j];
                }
            }

            _xByColumn = x;
        }

        return _xByColumn;
    }

    /// <summary>
    /// Logistic growth: d k_g / dθ and d m_g / dθ (θ = k, m, delta) of every segment's rate k_g = k + Σ_{j&lt;g} delta_j
    /// and offset m_g = m + Σ_{j&lt;g} gamma_j, row g of <paramref name="dk"/> and <paramref name="dm"/> ((S+1) × (2+S)),
    /// by differentiating prophet.stan's logistic_gamma recursion forwards:
    /// d gamma_j = -(1 - k_j/k_{j+1}) d m_j + (t_change_j - m_j)(k_j d k_{j+1} / k_{j+1}² - d k_j / k_{j+1}).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogisticSegmentDerivatives(double[] dk, double[] dm)
    {
        var d = _data;
        int s = d.S, p = 2 + s;
        Array.Clear(dk, 0, (s + 1) * p);
        Array.Clear(dm, 0, (s + 1) * p);
        dk[0] = 1.0;
        dm[1] = 1.0;
        for (var j = 0; j < s; j++)
        {
            var kj = _kCumulative[j];
            var kNext = _kCumulative[j + 1];
            var ratio = kj / kNext;
            var distance = d.TChange[j] - _mPrevious[j];
            for (var a = 0; a < p; a++)
            {
                dk[((j + 1) * p) + a] = dk[(j * p) + a];
            }

            dk[((j + 1) * p) + 2 + j] += 1.0;
            for (var a = 0; a < p; a++)
            {
                var dGamma = (-(1.0 - ratio) * dm[(j * p) + a])
                    + (distance * ((kj * dk[((j + 1) * p) + a] / (kNext * kNext)) - (dk[(j * p) + a] / kNext)));
                dm[((j + 1) * p) + a] = dm[(j * p) + a] + dGamma;
            }
        }
    }

    /// <summary>Only the trend at the unconstrained point (for finite-difference Jacobians of the trend).</summary>
    internal void TrendOnly(ReadOnlySpan<double> x, Span<double> destination)
    {
        ComputeTrend(x[0], x[1], x.Slice(2, _data.S));
        _trend.CopyTo(destination);
    }

    /// <summary>
    /// The sigma_obs² maximising the log posterior for a fixed sum of squared residuals <paramref name="ss"/> over
    /// <paramref name="n"/> rows: d/dsigma of -n log sigma - ss/(2 sigma²) - 2 sigma² (likelihood + normal(0, 0.5)
    /// prior) is zero at 4 sigma⁴ + n sigma² - ss = 0, solved in the cancellation-free form.
    /// </summary>
    internal static double SigmaSquaredGiven(double ss, int n) =>
        Math.Max(2.0 * ss / (n + Math.Sqrt(((double)n * n) + (16.0 * ss))), 1e-300);

    internal static double InverseLogit(double z) => 1.0 / (1.0 + Math.Exp(-z));

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => VectorMath.Dot(a, b);

    private static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y) => VectorMath.Axpy(alpha, x, y);
}
