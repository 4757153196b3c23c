using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// Python prophet 1.1's default interval simulation (forecaster.py: <c>sample_predictive_trend_vectorized</c>,
/// <c>_sample_uncertainty</c>, <c>_make_trend_shift_matrix</c>, <c>_logistic_uncertainty</c>; spec §12b): each future
/// step changes the rate with probability S·Δt by Laplace(0, mean|delta| + 1e-8), changes are averaged with the
/// previous step's; linear growth integrates them twice (times Δt), logistic growth re-runs the gamma recursion from
/// prophet's historical grid and is centred on the mean path; flat growth has no trend uncertainty. Streams are per
/// path (as <see cref="TrendSimulator"/>), rows are visited in ascending t.
/// </summary>
internal sealed class VectorizedTrendSimulator : ITrendPathSimulator
{
    private readonly PreparedFrame _df;
    private readonly Growth _growth;
    private readonly double _yScale;
    private readonly double _sigma;
    private readonly int _samples;
    private readonly double _m;
    private readonly double[] _baseTrend;
    private readonly double[] _seasonalAdditive;
    private readonly double[] _seasonalMultiplicative;
    private readonly double _singleDiff;
    private readonly double _changeProbability;
    private readonly double _meanDelta;
    private readonly PathState[] _paths;

    public VectorizedTrendSimulator(Prophet model, PreparedFrame df, FeatureMatrix features)
    {
        _df = df;
        _growth = model.Options.Growth;
        _yScale = model.YScale;
        var p = model.Params!;
        _sigma = p.SigmaObs;
        _m = p.M;
        _samples = model.Options.UncertaintySamples;
        var changepointsT = model.ChangepointsT;
        _baseTrend = _growth switch
        {
            Growth.Linear => PiecewiseTrend.Linear(df.T, p.K, p.M, p.Delta, changepointsT),
            Growth.Logistic => PiecewiseTrend.Logistic(df.T, df.CapScaled!, p.K, p.M, p.Delta, changepointsT),
            _ => PiecewiseTrend.Flat(df.RowCount, p.M),
        };
        (_seasonalAdditive, _seasonalMultiplicative) = TrendSimulator.SeasonalParts(model, features);

        // single_diff: mean step of the future t, or of the history when at most one future row.
        var future = df.T.Where(v => v > 1).ToArray();
        var history = model.PreparedHistory!.T;
        _singleDiff = future.Length > 1
            ? (future[^1] - future[0]) / (future.Length - 1)
            : (history[^1] - history[0]) / Math.Max(history.Length - 1, 1);
        _changeProbability = changepointsT.Length * _singleDiff;
        _meanDelta = p.Delta.Select(Math.Abs).Average() + 1e-8;

        // _logistic_uncertainty: the historical deltas placed on the grid 0, Δt, 2Δt, ... (first point after each
        // changepoint), and the gamma recursion run over that grid; every path continues from its end.
        double kHistory = p.K, gammaHistory = 0;
        if (_growth == Growth.Logistic && _singleDiff > 0)
        {
            var count = (int)Math.Ceiling((1 + _singleDiff) / _singleDiff);
            var grid = Enumerable.Range(0, count).Select(i => i * _singleDiff).ToArray();
            var placed = new double[count];
            for (var j = 0; j < changepointsT.Length; j++)
            {
                var index = Array.FindIndex(grid, g => g > changepointsT[j]);
                if (index >= 0)
                {
                    placed[index] = p.Delta[j];
                }
            }

            for (var i = 0; i < count; i++)
            {
                if (placed[i] == 0)
                {
                    continue;
                }

                var kNext = kHistory + placed[i];
                gammaHistory += (grid[i] - _m - gammaHistory) * (1 - (kHistory / kNext));
                kHistory = kNext;
            }
        }

        var seed = model.Options.Seed is { } s ? (ulong)(uint)s : (ulong)Random.Shared.NextInt64();
        _paths = Enumerable.Range(0, _samples).Select(i => new PathState(ProphetRandom.ForPath(seed, i), kHistory, gammaHistory)).ToArray();
    }

    public (double Trend, double Yhat) DeterministicRow(int i)
    {
        var trend = (_baseTrend[i] * _yScale) + _df.Floor[i];
        return (trend, (trend * (1 + _seasonalMultiplicative[i])) + _seasonalAdditive[i]);
    }

    public double NoiseScale => _sigma * _yScale;

    public void Simulate(int start, int rows, double[] yhat, double[] trend, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        if ((long)rows * _samples < 50_000)
        {
            options.MaxDegreeOfParallelism = 1;
        }

        // Paths write their scaled trend into `trend` and their noise into `yhat`; rows are finished below.
        Parallel.For(0, _samples, options, s => SimulatePath(_paths[s], s, start, rows, yhat, trend));
        for (var r = 0; r < rows; r++)
        {
            var i = start + r;
            var pathTrends = trend.AsSpan(r * _samples, _samples);
            var noise = yhat.AsSpan(r * _samples, _samples);
            // Logistic paths are centred on their mean (they only carry the width of the uncertainty).
            var centre = _growth == Growth.Logistic && _df.T[i] > 1 ? Mean(pathTrends) : 0.0;
            for (var s = 0; s < _samples; s++)
            {
                var scaled = _growth == Growth.Logistic && _df.T[i] > 1 ? _baseTrend[i] + pathTrends[s] - centre : pathTrends[s];
                var trendValue = (scaled * _yScale) + _df.Floor[i];
                pathTrends[s] = trendValue;
                noise[s] = (trendValue * (1 + _seasonalMultiplicative[i])) + _seasonalAdditive[i] + noise[s];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SimulatePath(PathState path, int s, int start, int rows, double[] noise, double[] trend)
    {
        var t = _df.T;
        for (var r = 0; r < rows; r++)
        {
            var i = start + r;
            var scaled = _baseTrend[i];
            if (t[i] > 1 && _growth != Growth.Flat)
            {
                // _make_trend_shift_matrix: uniform draw, Laplace draw, shift averaged with the previous step's.
                var u = path.Random.NextDouble();
                var laplace = path.Random.NextLaplace(_meanDelta);
                var shift = u < _changeProbability ? laplace : 0.0;
                var change = (shift + path.PreviousShift) / 2;
                path.PreviousShift = shift;
                if (_growth == Growth.Linear)
                {
                    path.Slope += change;
                    path.Level += path.Slope;
                    scaled = _baseTrend[i] + (path.Level * _singleDiff);
                }
                else
                {
                    if (change != 0)
                    {
                        var kNext = path.Rate + change;
                        path.GammaSum += (t[i] - _m - path.GammaSum) * (1 - (path.Rate / kNext));
                        path.Rate = kNext;
                    }

                    scaled = _df.CapScaled![i] / (1 + Math.Exp(-path.Rate * (t[i] - (_m + path.GammaSum))));
                }
            }

            trend[(r * _samples) + s] = scaled;
            noise[(r * _samples) + s] = path.Random.NextNormal() * _sigma * _yScale;
        }
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private sealed class PathState(ProphetRandom random, double rate, double gammaSum)
    {
        public ProphetRandom Random { get; } = random;

        public double PreviousShift { get; set; }

        public double Slope { get; set; }

        public double Level { get; set; }

        public double Rate { get; set; } = rate;

        public double GammaSum { get; set; } = gammaSum;
    }
}
