using System.Runtime.CompilerServices;

namespace Forecast.Prophet.Rstan;

/// <summary>
/// prophet.stan's objective f = -log_prob (propto, no Jacobian, sigma_obs = exp(u)) and its gradient computed with
/// exactly the floating-point operations rstan 2.21 performs: the C++ stanc 2.21 generates for R prophet 1.0's
/// prophet.stan (functions linear_trend, logistic_gamma, logistic_trend, flat_trend; the model block), StanHeaders
/// 2.21's reverse-mode autodiff (each vari's value in creation order, its chain() in reverse creation order) and
/// Eigen 3.3.9's matrix products (<see cref="EigenKernels"/>, <see cref="StanChangepointMatrix"/>). Same inputs give the
/// same bits as rstan's <c>log_prob_grad&lt;true, false&gt;</c> (checked on every evaluation of the golden and
/// synthetic runs in tests/Prophet.Tests), so Stan's optimisers run on it retrace rstan's iterations. About twice the
/// cost of <see cref="ProphetObjective"/>; used by the R-compatible fit.
/// </summary>
/// <remarks>
/// Argument evaluation order is GCC's (right to left), which fixes the order in which varis are created and hence the
/// order in which adjoints accumulate; the comments below list, for each block, the varis in creation order.
/// Shortcuts of StanHeaders' operators (<c>var * 1.0</c> and <c>var + 0</c> return the operand without a vari) change
/// only which adjoint a product adds to, which is reproduced. Errors Stan raises (a NaN or infinite mean, a
/// non-positive scale) become a NaN objective, which the optimisers treat as a failed evaluation as Stan does.
/// </remarks>
internal sealed class RstanObjective
{
    private readonly ProphetStanData _data;
    private readonly StanChangepointMatrix _a;
    private readonly double[] _x; // X column-major T × K (the data's X is row-major)
    private readonly bool _anyAdditive; // some s_a != 0: else X * (beta .* s_a) is +0 in every row, its adjoint adds ±0
    private readonly bool _anyMultiplicative; // likewise for s_m
    private readonly double[] _scratch;
    private readonly double[] _pairScratch; // 4·K: both Xᵀ products of the beta adjoints in one pass
    private readonly int _l1CacheBytes;
    private readonly double[] _negativeTChange;

    // The inputs of the products held in _productA, _productB, _xBetaA and _xBetaM.
    private readonly ProductInputCache _productACache;
    private readonly ProductInputCache _productBCache;
    private readonly ProductInputCache _xBetaACache;
    private readonly ProductInputCache _xBetaMCache;

    // The [k, m, delta] whose trend (and its forward values) the trend buffers hold: the finite-difference Hessian
    // perturbs sigma_obs and each beta with the trend's parameters unchanged, so those evaluations keep the trend,
    // the same arithmetic on the same bits.
    private readonly ProductInputCache _trendCache;
    private readonly double[] _trendInput;

    // Forward values (vari val_) and adjoints (adj_), named after prophet.stan's expressions.
    private readonly double[] _productA; // A * (first vector)
    private readonly double[] _productB; // A * delta
    private readonly double[] _offset; // m + A * ...
    private readonly double[] _rate; // k + A * delta
    private readonly double[] _gap; // logistic: t - offset
    private readonly double[] _inverseLogit;
    private readonly double[] _trend;
    private readonly double[] _betaA;
    private readonly double[] _betaM;
    private readonly double[] _xBetaA;
    private readonly double[] _xBetaM;
    private readonly double[] _onePlus;
    private readonly double[] _mu;
    private readonly double[] _adjRowsA;
    private readonly double[] _adjRowsB;
    private readonly double[] _adjTrend;
    private readonly double[] _adjMu;
    private readonly double[] _adjOnePlus;
    private readonly double[] _adjChangepointsA; // adjoint of the vector A multiplies first (-t_change .* delta, or gamma)
    private readonly double[] _adjBetaA;
    private readonly double[] _adjBetaM;

    // logistic_gamma
    private readonly double[] _cumulative;
    private readonly double[] _kS;
    private readonly double[] _mPr;
    private readonly double[] _ratio;
    private readonly double[] _oneMinusRatio;
    private readonly double[] _distance;
    private readonly double[] _gamma;
    private readonly double[] _adjCumulative;
    private readonly double[] _adjKS;
    private readonly double[] _adjMPr;

    /// <param name="l1CacheBytes">
    /// The L1 data cache size Eigen's depth blocking assumes (<see cref="ProphetFitOptions.EigenL1CacheBytes"/>);
    /// null = this machine's, from CPUID, as rstan running here would use.
    /// </param>
    public RstanObjective(ProphetStanData data, int? l1CacheBytes = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        int t = data.T, s = data.S, k = data.K;
        if (data.X.Length != t * k)
        {
            throw new ArgumentException($"Stan data X has {data.X.Length} values; expected T*K = {t}*{k}.", nameof(data));
        }

        _x = new double[t * k];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < k; j++)
            {
                _x[(j * t) + i] = data.X[(i * k) + j];
            }
        }

        _l1CacheBytes = l1CacheBytes ?? EigenCacheSizes.L1DataBytes;
        if (_l1CacheBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(l1CacheBytes), l1CacheBytes, "An L1 data cache size is at least 1 KB (in bytes, e.g. 32768).");
        }

        _a = new StanChangepointMatrix(data.TimeScaled, data.TChange, _l1CacheBytes);
        _anyAdditive = data.SA.Any(v => v != 0);
        _anyMultiplicative = data.SM.Any(v => v != 0);
        _scratch = new double[Math.Max(t, 2 * k)];
        _pairScratch = new double[4 * k];
        _negativeTChange = data.TChange.Select(c => -c).ToArray();
        _productACache = new ProductInputCache(s);
        _productBCache = new ProductInputCache(s);
        _xBetaACache = new ProductInputCache(k);
        _xBetaMCache = new ProductInputCache(k);
        _trendCache = new ProductInputCache(s + 2);
        _trendInput = new double[s + 2];
        _productA = new double[t];
        _productB = new double[t];
        _offset = new double[t];
        _rate = new double[t];
        _gap = new double[t];
        _inverseLogit = new double[t];
        _trend = new double[t];
        _betaA = new double[k];
        _betaM = new double[k];
        _xBetaA = new double[t];
        _xBetaM = new double[t];
        _onePlus = new double[t];
        _mu = new double[t];
        _adjRowsA = new double[t];
        _adjRowsB = new double[t];
        _adjTrend = new double[t];
        _adjMu = new double[t];
        _adjOnePlus = new double[t];
        _adjChangepointsA = new double[s];
        _adjBetaA = new double[k];
        _adjBetaM = new double[k];
        _cumulative = new double[s];
        _kS = new double[s + 1];
        _mPr = new double[s + 1];
        _ratio = new double[s];
        _oneMinusRatio = new double[s];
        _distance = new double[s];
        _gamma = new double[s];
        _adjCumulative = new double[s];
        _adjKS = new double[s + 1];
        _adjMPr = new double[s + 1];
    }

    public ProphetStanData Data => _data;

    public int Dimension => 3 + _data.S + _data.K;

    /// <summary>f = -log_prob at the unconstrained point [k, m, delta, log sigma_obs, beta]; writes df/dx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var d = _data;
        int t = d.T, s = d.S, kCount = d.K;
        var k = x[0];
        var m = x[1];
        var delta = x.Slice(2, s);
        var u = x[2 + s];
        var beta = x.Slice(3 + s, kCount);

        // lb_constrain(u, 0) = exp(u) (+ 0 returns the operand).
        var sigma = Math.Exp(u);

        _trendInput[0] = k;
        _trendInput[1] = m;
        delta.CopyTo(_trendInput.AsSpan(2));
        if (!_trendCache.Matches(_trendInput))
        {
            if (!Trend(k, m, delta))
            {
                // logistic_gamma's buffers may hold part of this failed trend.
                _trendCache.Invalidate();
                return double.NaN;
            }

            _trendCache.Store(_trendInput);
        }

        // Priors, each normal_lpdf / double_exponential_lpdf<propto> (prim/scal/prob): logp starts at 0, the partial
        // of the random variable is 0 - (inv_sigma * (y - mu) * inv_sigma).
        if (double.IsNaN(k) || double.IsNaN(m) || double.IsNaN(sigma))
        {
            return double.NaN;
        }

        var zK = (k - 0.0) * 0.2;
        var lpK = -0.5 * (zK * zK);
        var partialK = 0.0 - (0.2 * zK);
        var zM = (m - 0.0) * 0.2;
        var lpM = -0.5 * (zM * zM);
        var partialM = 0.0 - (0.2 * zM);

        var inverseTau = 1.0 / d.Tau;
        var lpDelta = 0.0;
        for (var j = 0; j < s; j++)
        {
            if (!double.IsFinite(delta[j]))
            {
                return double.NaN;
            }

            var difference = delta[j] - 0.0;
            lpDelta -= Math.Abs(difference) * inverseTau;
        }

        var zSigma = (sigma - 0.0) * 2.0;
        var lpSigma = -0.5 * (zSigma * zSigma);
        var partialSigma = 0.0 - (2.0 * zSigma);

        var lpBeta = 0.0;
        for (var j = 0; j < kCount; j++)
        {
            if (double.IsNaN(beta[j]))
            {
                return double.NaN;
            }

            var inverse = 1.0 / d.Sigmas[j];
            var z = (beta[j] - 0.0) * inverse;
            lpBeta += -0.5 * (z * z);
        }

        // Likelihood arguments, right to left: beta .* s_a, X * that, beta .* s_m, X * that, 1 + ..., trend .* ...,
        // the sum (multiply_mat_vari values: Ad * Bd).
        for (var j = 0; j < kCount; j++)
        {
            _betaA[j] = beta[j] * d.SA[j];
            _betaM[j] = beta[j] * d.SM[j];
        }

        // With every s_m (s_a) zero the product only adds X_ij * ±0 to a sum started at +0: +0 in every row.
        if (_anyAdditive)
        {
            if (!_xBetaACache.Matches(_betaA))
            {
                XTimes(_betaA, _xBetaA);
                _xBetaACache.Store(_betaA);
            }
        }
        else
        {
            Array.Clear(_xBetaA);
        }

        if (_anyMultiplicative)
        {
            if (!_xBetaMCache.Matches(_betaM))
            {
                XTimes(_betaM, _xBetaM);
                _xBetaMCache.Store(_betaM);
            }
        }
        else
        {
            Array.Clear(_xBetaM);
        }
        // normal_lpdf<true>(y | mu, sigma_obs) with sigma_obs a var: one inv_sigma and log_sigma, then per row
        // logp -= log_sigma; logp += -0.5 * z^2; d/dmu = inv_sigma * z; d/dsigma accumulates -inv_sigma + inv_sigma z^2.
        if (!(sigma > 0))
        {
            return double.NaN;
        }

        var inverseSigma = 1.0 / sigma;
        var logSigma = Math.Log(sigma);
        var lpLikelihood = 0.0;
        var partialSigmaLikelihood = 0.0;
        var y = d.Y;
        var flat = d.TrendIndicator == 2;

        // One loop over the rows: mu (1 + X beta_m, trend .* that + X beta_a), the likelihood's terms, and the reverse
        // pass's per-row adjoints of the products (each row's own values, so computing them here, in row order, gives
        // the same bits as the reverse loop); the two running sums keep their row order. A flat trend's adjoint of m
        // is a sum in reverse row order, done after.
        for (var i = 0; i < t; i++)
        {
            var onePlus = 1.0 + _xBetaM[i];
            var mu = (_trend[i] * onePlus) + _xBetaA[i];
            _onePlus[i] = onePlus;
            _mu[i] = mu;
            if (!double.IsFinite(mu))
            {
                return double.NaN;
            }

            var z = (y[i] - mu) * inverseSigma;
            var z2 = z * z;
            lpLikelihood -= logSigma;
            lpLikelihood += -0.5 * z2;
            var adjMu = 0.0 + (inverseSigma * z);
            _adjMu[i] = adjMu;
            partialSigmaLikelihood += -inverseSigma + (inverseSigma * z2);

            // Reverse pass of the sums mu = (trend .* onePlus) + X beta_a and the products, row i.
            var adjTimes = 0.0 + adjMu;
            if (!flat)
            {
                _adjTrend[i] = 0.0 + (onePlus * adjTimes);
            }

            _adjOnePlus[i] = 0.0 + (_trend[i] * adjTimes);
        }

        // lp_accum__.sum(): sum_v_vari over [k, m, delta, sigma_obs, beta, likelihood priors, lp__ = 0] from 0.
        var logProb = 0.0 + lpK;
        logProb += lpM;
        logProb += lpDelta;
        logProb += lpSigma;
        logProb += lpBeta;
        logProb += lpLikelihood;
        logProb += 0.0;

        // Reverse pass. Adjoints of the parameters' varis, in the order chain() adds to them.
        var adjK = 0.0;
        var adjM = 0.0;
        var adjDelta = gradient.Slice(2, s);
        var adjBeta = gradient.Slice(3 + s, kCount);
        gradient.Clear();
        if (flat)
        {
            // trend_i is m itself (rep_vector): its adjoint goes straight to m, rows in reverse creation order.
            for (var i = t - 1; i >= 0; i--)
            {
                adjM += _onePlus[i] * (0.0 + _adjMu[i]);
            }
        }

        // multiply_mat_vari(X, beta .* s_m).chain, then the beta .* s_m varis (reverse), then the same for s_a.
        // With every s_m (s_a) zero these add adj * 0 = ±0 to adjoints that are then +0 or finite: nothing.
        if (_anyMultiplicative && _anyAdditive && !EigenKernels.IsLazy(kCount, t))
        {
            // Both products Xᵀ adj in one pass over X (each as alone), then their varis in the same order as below.
            Array.Clear(_adjBetaM);
            Array.Clear(_adjBetaA);
            EigenKernels.TransposeTimesVectorAdd(t, kCount, _data.X, Rows(_adjOnePlus), _adjBetaM, Rows(_adjMu), _adjBetaA, _pairScratch, _l1CacheBytes);
            IndicatorAdjoints(d.SM, _adjBetaM, adjBeta);
            IndicatorAdjoints(d.SA, _adjBetaA, adjBeta);
        }
        else
        {
            if (_anyMultiplicative)
            {
                BetaAdjoints(d.SM, _adjOnePlus, _adjBetaM, adjBeta);
            }

            if (_anyAdditive)
            {
                BetaAdjoints(d.SA, _adjMu, _adjBetaA, adjBeta);
            }
        }

        // Priors, reverse creation: beta, sigma_obs, delta, m, k.
        for (var j = 0; j < kCount; j++)
        {
            var inverse = 1.0 / d.Sigmas[j];
            var z = (beta[j] - 0.0) * inverse;
            adjBeta[j] += 0.0 - (inverse * z);
        }

        var adjSigma = 0.0 + partialSigmaLikelihood;
        adjSigma += partialSigma;
        for (var j = 0; j < s; j++)
        {
            var difference = delta[j] - 0.0;
            adjDelta[j] += 0.0 - (Sign(difference) * inverseTau);
        }

        adjM += partialM;
        adjK += partialK;

        TrendAdjoints(k, m, ref adjK, ref adjM, adjDelta);

        gradient[0] = -adjK;
        gradient[1] = -adjM;
        for (var j = 0; j < s; j++)
        {
            adjDelta[j] = -adjDelta[j];
        }

        // exp_vari::chain: adj_u += adj_sigma * sigma.
        gradient[2 + s] = -(0.0 + (adjSigma * sigma));
        for (var j = 0; j < kCount; j++)
        {
            adjBeta[j] = -adjBeta[j];
        }

        return -logProb;
    }

    /// <summary>
    /// multiply_mat_vari(X, beta .* s).chain and then the beta .* s multiply_vd_varis in reverse: where s_j is 1 the
    /// product's operand is beta_j itself, else a vari whose adjoint reaches beta_j times s_j.
    /// </summary>
    private void BetaAdjoints(double[] indicator, double[] adjRows, double[] adjProduct, Span<double> adjBeta)
    {
        int t = _data.T, kCount = _data.K;
        Array.Clear(adjProduct);
        if (EigenKernels.IsLazy(kCount, t))
        {
            EigenKernels.LazyTransposeTimesVectorAdd(t, kCount, _data.X, Rows(adjRows), adjProduct);
        }
        else
        {
            EigenKernels.TransposeTimesVectorAdd(t, kCount, _data.X, Rows(adjRows), adjProduct, _scratch, _l1CacheBytes);
        }

        IndicatorAdjoints(indicator, adjProduct, adjBeta);
    }

    /// <summary>The beta .* s multiply_vd_varis in reverse: s_j = 1 passes the product's adjoint to beta_j, else times s_j.</summary>
    private static void IndicatorAdjoints(double[] indicator, double[] adjProduct, Span<double> adjBeta)
    {
        var kCount = indicator.Length;
        for (var j = 0; j < kCount; j++)
        {
            if (indicator[j] == 1.0)
            {
                adjBeta[j] += adjProduct[j];
            }
        }

        for (var j = kCount - 1; j >= 0; j--)
        {
            if (indicator[j] != 1.0)
            {
                adjBeta[j] += adjProduct[j] * indicator[j];
            }
        }
    }

    private ReadOnlySpan<double> Rows(double[] values) => values.AsSpan(0, _data.T);

    /// <summary>X * v as multiply_mat_vari computes it: GEMM, or the coefficient-based product for tiny problems.</summary>
    private void XTimes(double[] v, double[] result)
    {
        int t = _data.T, kCount = _data.K;
        if (EigenKernels.IsLazy(t, kCount))
        {
            EigenKernels.LazyMatrixTimesVector(t, kCount, _x, v, result);
        }
        else
        {
            EigenKernels.MatrixTimesVector(t, kCount, _x, v, result, _scratch, _l1CacheBytes);
        }
    }

    /// <summary>result = A v, unless result already holds A v for these bits of v.</summary>
    private void ChangepointProduct(ReadOnlySpan<double> v, double[] result, ProductInputCache cache)
    {
        if (!cache.Matches(v))
        {
            _a.Times(v, result);
            cache.Store(v);
        }
    }

    private bool Trend(double k, double m, ReadOnlySpan<double> delta)
    {
        var d = _data;
        int t = d.T, s = d.S;
        switch (d.TrendIndicator)
        {
            case 0:
            {
                // linear_trend, right to left: (-t_change) .* delta; A * that; m + ...; A * delta; k + ...; .* t; the sum.
                Span<double> scaled = s <= 256 ? stackalloc double[s] : new double[s];
                for (var j = 0; j < s; j++)
                {
                    scaled[j] = _negativeTChange[j] * delta[j];
                }

                if (HasNaN(scaled) || HasNaN(delta))
                {
                    return false;
                }

                ChangepointProduct(scaled, _productA, _productACache);
                ChangepointProduct(delta, _productB, _productBCache);
                var time = d.TimeScaled;
                for (var i = 0; i < t; i++)
                {
                    _offset[i] = m + _productA[i];
                    _rate[i] = k + _productB[i];
                    _trend[i] = (_rate[i] * time[i]) + _offset[i];
                }

                return true;
            }

            case 1:
                return LogisticTrend(k, m, delta);

            default:
                Array.Fill(_trend, m);
                return true;
        }
    }

    private bool LogisticTrend(double k, double m, ReadOnlySpan<double> delta)
    {
        var d = _data;
        int t = d.T, s = d.S;

        // logistic_gamma: k_s = append_row(k, k + cumulative_sum(delta)) (std::partial_sum: acc + delta_i); then per
        // changepoint (t_change_i - m_pr) * (1 - k_s[i] / k_s[i+1]) and m_pr + gamma_i.
        for (var j = 0; j < s; j++)
        {
            _cumulative[j] = j == 0 ? delta[0] : _cumulative[j - 1] + delta[j];
        }

        _kS[0] = k;
        for (var j = 0; j < s; j++)
        {
            _kS[j + 1] = k + _cumulative[j];
        }

        _mPr[0] = m;
        for (var j = 0; j < s; j++)
        {
            _ratio[j] = _kS[j] / _kS[j + 1];
            _oneMinusRatio[j] = 1.0 - _ratio[j];
            _distance[j] = d.TChange[j] - _mPr[j];
            _gamma[j] = _distance[j] * _oneMinusRatio[j];
            _mPr[j + 1] = _mPr[j] + _gamma[j];
        }

        if (HasNaN(_gamma) || HasNaN(delta))
        {
            return false;
        }

        // logistic_trend, right to left: A * gamma; m + ...; t - ...; A * delta; k + ...; the product; inv_logit;
        // cap .* ....
        ChangepointProduct(_gamma, _productA, _productACache);
        ChangepointProduct(delta, _productB, _productBCache);
        var time = d.TimeScaled;
        for (var i = 0; i < t; i++)
        {
            _offset[i] = m + _productA[i];
            _gap[i] = time[i] - _offset[i];
            _rate[i] = k + _productB[i];
            _inverseLogit[i] = InverseLogit(_rate[i] * _gap[i]);
            _trend[i] = d.Cap[i] * _inverseLogit[i];
        }

        return true;
    }

    /// <summary>The trend's varis in reverse creation order (after the priors').</summary>
    private void TrendAdjoints(double k, double m, ref double adjK, ref double adjM, Span<double> adjDelta)
    {
        var d = _data;
        int t = d.T, s = d.S;
        var time = d.TimeScaled;
        switch (d.TrendIndicator)
        {
            case 0:
            {
                // The sum (rate .* t) + offset; rate .* t (multiply_vd, none where t is 1); k + A delta; A delta's
                // chain; m + A(...); its chain; (-t_change) .* delta (multiply_dv).
                // adjK and adjM each take their rows in the same (reverse) order as in separate loops; one loop lets
                // the two chains of additions overlap.
                double sumK = adjK, sumM = adjM;
                for (var i = t - 1; i >= 0; i--)
                {
                    var rowA = 0.0 + _adjTrend[i]; // offset_i
                    var rowB = time[i] == 1.0 ? 0.0 + _adjTrend[i] : 0.0 + (_adjTrend[i] * time[i]); // rate_i
                    _adjRowsA[i] = rowA;
                    _adjRowsB[i] = rowB;
                    sumK += rowB;
                    sumM += rowA;
                }

                adjK = sumK;
                adjM = sumM;
                Array.Clear(_adjChangepointsA);
                _a.TransposeTimesAdd(Rows(_adjRowsB), adjDelta, Rows(_adjRowsA), _adjChangepointsA);
                for (var j = s - 1; j >= 0; j--)
                {
                    adjDelta[j] += _negativeTChange[j] == 1.0 ? _adjChangepointsA[j] : _adjChangepointsA[j] * _negativeTChange[j];
                }

                break;
            }

            case 1:
                LogisticTrendAdjoints(ref adjK, ref adjM, adjDelta);
                break;
        }
    }

    private void LogisticTrendAdjoints(ref double adjK, ref double adjM, Span<double> adjDelta)
    {
        var d = _data;
        int t = d.T, s = d.S;

        // cap .* inv_logit (multiply_dv; cap 1 is the operand itself), inv_logit_vari (adj * val * (1 - val)), the
        // product rate * gap (multiply_vv), k + A delta, A delta's chain, t - offset (subtract_dv), m + A gamma,
        // A gamma's chain.
        for (var i = t - 1; i >= 0; i--)
        {
            var adjInverseLogit = d.Cap[i] == 1.0 ? 0.0 + _adjTrend[i] : 0.0 + (_adjTrend[i] * d.Cap[i]);
            var p = _inverseLogit[i];
            var adjProduct = 0.0 + (adjInverseLogit * p * (1.0 - p));
            _adjRowsB[i] = 0.0 + (_gap[i] * adjProduct); // rate_i
            _adjRowsA[i] = 0.0 + (_rate[i] * adjProduct); // gap_i, for now
        }

        for (var i = t - 1; i >= 0; i--)
        {
            adjK += _adjRowsB[i];
        }

        _a.TransposeTimesAdd(Rows(_adjRowsB), adjDelta);
        for (var i = t - 1; i >= 0; i--)
        {
            _adjRowsA[i] = 0.0 - _adjRowsA[i]; // offset_i = t_i - gap_i
        }

        for (var i = t - 1; i >= 0; i--)
        {
            adjM += _adjRowsA[i];
        }

        var adjGamma = _adjChangepointsA;
        Array.Clear(adjGamma);
        _a.TransposeTimesAdd(Rows(_adjRowsA), adjGamma);

        // logistic_gamma's varis in reverse: per changepoint (last first) m_pr + gamma, the product, then 1 - ratio,
        // the ratio (divide_vv) and t_change - m_pr, which touch different adjoints; m_pr_0 is m, k_s[0] is k.
        Array.Clear(_adjKS);
        Array.Clear(_adjMPr);
        for (var j = s - 1; j >= 0; j--)
        {
            var adjNext = _adjMPr[j + 1];
            AddToMPr(j, adjNext, ref adjM);
            adjGamma[j] += adjNext;
            var adjDistance = 0.0 + (_oneMinusRatio[j] * adjGamma[j]);
            var adjOneMinusRatio = 0.0 + (_distance[j] * adjGamma[j]);
            var adjRatio = 0.0 - adjOneMinusRatio;
            var denominator = _kS[j + 1];
            AddToKS(j, adjRatio / denominator, ref adjK);
            _adjKS[j + 1] -= adjRatio * _kS[j] / (denominator * denominator);
            AddToMPr(j, -adjDistance, ref adjM);
        }

        // k + cumulative_sum(delta) (reverse), then the partial sums acc + delta_i (reverse); the first partial sum is
        // delta_0 itself.
        Array.Clear(_adjCumulative);
        for (var j = s - 1; j >= 0; j--)
        {
            adjK += _adjKS[j + 1];
            if (j == 0)
            {
                adjDelta[0] += _adjKS[1];
            }
            else
            {
                _adjCumulative[j] += _adjKS[j + 1];
            }
        }

        for (var j = s - 1; j >= 1; j--)
        {
            var adj = _adjCumulative[j];
            if (j - 1 == 0)
            {
                adjDelta[0] += adj;
            }
            else
            {
                _adjCumulative[j - 1] += adj;
            }

            adjDelta[j] += adj;
        }
    }

    /// <summary>m_pr_j's adjoint; m_pr_0 is the parameter m (subtracting is adding the negated value: x - a == x + (-a)).</summary>
    private void AddToMPr(int j, double value, ref double adjM)
    {
        if (j == 0)
        {
            adjM += value;
        }
        else
        {
            _adjMPr[j] += value;
        }
    }

    private void AddToKS(int j, double value, ref double adjK)
    {
        if (j == 0)
        {
            adjK += value;
        }
        else
        {
            _adjKS[j] += value;
        }
    }

    /// <summary>Stan's sign(): 0 at 0.</summary>
    private static int Sign(double z) => z == 0 ? 0 : z < 0 ? -1 : 1;

    /// <summary>StanHeaders prim/scal/fun/inv_logit.hpp (double): exp(a)/(1 + exp(a)) below 0 (exp(a) under log eps), else 1/(1 + exp(-a)).</summary>
    private static double InverseLogit(double a)
    {
        const double logEpsilon = -36.043653389117154; // log(DBL_EPSILON), stan/math/prim/scal/fun/constants.hpp
        if (a < 0)
        {
            var expA = Math.Exp(a);
            return a < logEpsilon ? expA : expA / (1 + expA);
        }

        return 1.0 / (1 + Math.Exp(-a));
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }
}
