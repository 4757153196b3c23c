using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// Simulates prophet's predictive paths (R prophet 1.0 <c>sample_model</c> / <c>sample_predictive_trend</c>;
/// spec §12a): per path, future changepoints from a Poisson process with the historical rate S per unit of scaled
/// time on [1, max t], Laplace(0, mean|delta| + 1e-8) rate changes, and Gaussian observation noise with sd
/// sigma_obs·y_scale on every row. Historical changepoints are shared by all paths, so a path is the point trend
/// plus the effect of its new changepoints; rows are visited in ascending t, paths are independent (own random
/// stream each) and run in parallel, which keeps 1000 paths cheap.
/// </summary>
internal sealed class TrendSimulator : ITrendPathSimulator
{
    private readonly PreparedFrame _df;
    private readonly Growth _growth;
    private readonly double _yScale;
    private readonly double _sigma;
    private readonly int _samples;
    private readonly double[] _baseTrend; // scaled point trend
    private readonly double[] _baseRate; // logistic only
    private readonly double[] _baseOffset; // logistic only
    private readonly double[] _seasonalAdditive; // X·(beta ∘ s_a)·y_scale
    private readonly double[] _seasonalMultiplicative; // X·(beta ∘ s_m)
    private readonly Path[] _paths;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TrendSimulator(Prophet model, PreparedFrame df, FeatureMatrix features)
    {
        _df = df;
        _growth = model.Options.Growth;
        _yScale = model.YScale;
        var p = model.Params!;
        _sigma = p.SigmaObs;
        _samples = model.Options.UncertaintySamples;
        var n = df.RowCount;
        var changepointsT = model.ChangepointsT;
        _baseRate = new double[n];
        _baseOffset = new double[n];
        double kLast = p.K, mPrevious = p.M;
        switch (_growth)
        {
            case Growth.Linear:
                _baseTrend = PiecewiseTrend.Linear(df.T, p.K, p.M, p.Delta, changepointsT);
                break;
            case Growth.Logistic:
            {
                _baseTrend = PiecewiseTrend.Logistic(df.T, df.CapScaled!, p.K, p.M, p.Delta, changepointsT);
                var gammas = PiecewiseTrend.LogisticGammas(p.K, p.M, p.Delta, changepointsT);
                for (var i = 0; i < n; i++)
                {
                    var rate = p.K;
                    var offset = p.M;
                    for (var j = 0; j < changepointsT.Length; j++)
                    {
                        if (df.T[i] >= changepointsT[j])
                        {
                            rate += p.Delta[j];
                            offset += gammas[j];
                        }
                    }

                    _baseRate[i] = rate;
                    _baseOffset[i] = offset;
                }

                kLast = p.K + p.Delta.Sum();
                mPrevious = p.M + gammas.Sum();
                break;
            }

            default:
                _baseTrend = PiecewiseTrend.Flat(n, p.M);
                break;
        }

        (_seasonalAdditive, _seasonalMultiplicative) = SeasonalParts(model, features);

        var seed = model.Options.Seed is { } s ? (ulong)(uint)s : (ulong)Random.Shared.NextInt64();
        var tMax = n > 0 ? df.T.Max() : 0.0;
        var lambda = p.Delta.Select(Math.Abs).Average() + 1e-8;
        var changepointRate = changepointsT.Length;
        _paths = new Path[_samples];
        for (var path = 0; path < _samples; path++)
        {
            _paths[path] = new Path(ProphetRandom.ForPath(seed, path), _growth, tMax, changepointRate, lambda, kLast, mPrevious);
        }
    }

    /// <summary>X·(beta ∘ s_a)·y_scale and X·(beta ∘ s_m) per row (forecaster.py: <c>sample_model</c>).</summary>
    internal static (double[] Additive, double[] Multiplicative) SeasonalParts(Prophet model, FeatureMatrix features)
    {
        var beta = model.Params!.Beta;
        var n = features.Rows;
        var k = features.Columns;
        var additive = new double[n];
        var multiplicative = new double[n];
        for (var i = 0; i < n; i++)
        {
            double a = 0, m = 0;
            for (var j = 0; j < k; j++)
            {
                var x = features.Values[(i * k) + j];
                a += x * beta[j] * features.SA[j];
                m += x * beta[j] * features.SM[j];
            }

            additive[i] = a * model.YScale;
            multiplicative[i] = m;
        }

        return (additive, multiplicative);
    }

    /// <summary>Point trend and yhat of a row on the original scale (what every path has before its first new changepoint).</summary>
    public (double Trend, double Yhat) DeterministicRow(int i)
    {
        var trend = (_baseTrend[i] * _yScale) + _df.Floor[i];
        return (trend, (trend * (1 + _seasonalMultiplicative[i])) + _seasonalAdditive[i]);
    }

    /// <summary>sigma_obs · y_scale, the sd of the observation noise.</summary>
    public double NoiseScale => _sigma * _yScale;

    /// <summary>
    /// Fills rows [start, start + rows) of every path into <paramref name="yhat"/> and <paramref name="trend"/>
    /// (row-major, row r of the block at [r * samples]). Blocks must be requested in increasing order.
    /// </summary>
    public void Simulate(int start, int rows, double[] yhat, double[] trend, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        if ((long)rows * _samples < 50_000)
        {
            options.MaxDegreeOfParallelism = 1;
        }

        Parallel.For(0, _samples, options, s => SimulatePath(_paths[s], s, start, rows, yhat, trend));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SimulatePath(Path path, int s, int start, int rows, double[] yhat, double[] trend)
    {
        var t = _df.T;
        var floor = _df.Floor;
        var cap = _df.CapScaled;
        for (var r = 0; r < rows; r++)
        {
            var i = start + r;
            while (path.Next < path.Times.Length && t[i] >= path.Times[path.Next])
            {
                path.RateAdd += path.Deltas[path.Next];
                path.OffsetAdd += _growth == Growth.Logistic ? path.Gammas![path.Next] : -path.Times[path.Next] * path.Deltas[path.Next];
                path.Next++;
            }

            var scaled = _growth switch
            {
                Growth.Linear => _baseTrend[i] + (path.RateAdd * t[i]) + path.OffsetAdd,
                Growth.Logistic => path.Next == 0
                    ? _baseTrend[i]
                    : cap![i] / (1.0 + Math.Exp(-(_baseRate[i] + path.RateAdd) * (t[i] - (_baseOffset[i] + path.OffsetAdd)))),
                _ => _baseTrend[i],
            };
            var trendValue = (scaled * _yScale) + floor[i];
            var noise = path.Random.NextNormal() * _sigma * _yScale;
            trend[(r * _samples) + s] = trendValue;
            yhat[(r * _samples) + s] = (trendValue * (1 + _seasonalMultiplicative[i])) + _seasonalAdditive[i] + noise;
        }
    }

    /// <summary>One simulated path: its future changepoints and the running sums of their effect.</summary>
    private sealed class Path
    {
        public Path(ProphetRandom random, Growth growth, double tMax, int changepointRate, double lambda, double kLast, double mPrevious)
        {
            Random = random;
            var count = growth != Growth.Flat && tMax > 1 ? random.NextPoisson(changepointRate * (tMax - 1)) : 0;
            Times = new double[count];
            for (var j = 0; j < count; j++)
            {
                Times[j] = 1 + (random.NextDouble() * (tMax - 1));
            }

            Array.Sort(Times);
            Deltas = new double[count];
            for (var j = 0; j < count; j++)
            {
                Deltas[j] = random.NextLaplace(lambda);
            }

            if (growth == Growth.Logistic)
            {
                // Continue prophet.stan's logistic_gamma recursion past the historical changepoints.
                Gammas = new double[count];
                var kPrevious = kLast;
                var mPr = mPrevious;
                for (var j = 0; j < count; j++)
                {
                    var kNext = kPrevious + Deltas[j];
                    Gammas[j] = (Times[j] - mPr) * (1 - (kPrevious / kNext));
                    mPr += Gammas[j];
                    kPrevious = kNext;
                }
            }
        }

        public ProphetRandom Random { get; }

        public double[] Times { get; }

        public double[] Deltas { get; }

        public double[]? Gammas { get; }

        public int Next { get; set; }

        public double RateAdd { get; set; }

        public double OffsetAdd { get; set; }
    }
}
