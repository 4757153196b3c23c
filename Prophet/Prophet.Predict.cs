using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>Prediction, uncertainty intervals and future frames (forecaster.py, in pipeline order).</summary>
public sealed partial class Prophet
{
    /// <summary>
    /// Predicts for <paramref name="df"/> (default: the history): trend, every component, additive_terms,
    /// multiplicative_terms, yhat and, unless uncertainty_samples is 0, the intervals (forecaster.py: <c>predict</c>;
    /// spec §11). The frame needs cap (logistic), floor (if fitted with one), regressors and condition columns.
    /// </summary>
    public ProphetForecast Predict(ProphetFrame? df = null, CancellationToken cancellationToken = default)
    {
        var (prepared, features) = PrepareForPrediction(df);
        var forecast = new ProphetForecast(prepared.Ds);
        var trend = PredictTrend(prepared);
        forecast.Add("trend", trend);
        if (prepared.Cap is { } cap)
        {
            forecast.Add("cap", cap);
        }

        if (LogisticFloor)
        {
            forecast.Add("floor", prepared.Floor);
        }

        var components = PredictSeasonalComponents(features);
        foreach (var (name, values) in components)
        {
            forecast.Add(name, values);
            // MAP: one parameter draw, so the component percentiles equal the value (spec §11 step 3).
            forecast.Add(name + "_lower", values);
            forecast.Add(name + "_upper", values);
        }

        if (Options.UncertaintySamples > 0)
        {
            var intervals = PredictUncertainty(prepared, features, cancellationToken);
            forecast.Add("yhat_lower", intervals.YhatLower);
            forecast.Add("yhat_upper", intervals.YhatUpper);
            forecast.Add("trend_lower", intervals.TrendLower);
            forecast.Add("trend_upper", intervals.TrendUpper);
        }

        var additive = components["additive_terms"];
        var multiplicative = components["multiplicative_terms"];
        var yhat = new double[prepared.RowCount];
        for (var i = 0; i < yhat.Length; i++)
        {
            yhat[i] = (trend[i] * (1 + multiplicative[i])) + additive[i];
        }

        forecast.Add("yhat", yhat);
        return forecast;
    }

    private (PreparedFrame Prepared, FeatureMatrix Features) PrepareForPrediction(ProphetFrame? df)
    {
        if (!IsFitted)
        {
            throw new InvalidOperationException("Model has not been fit. Call Fit before Predict.");
        }

        PreparedFrame prepared;
        if (df is null)
        {
            prepared = PreparedHistory!;
        }
        else
        {
            if (df.RowCount == 0)
            {
                throw new ArgumentException("Dataframe has no rows.", nameof(df));
            }

            prepared = SetupDataFrame(df);
        }

        return (prepared, MakeAllSeasonalityFeatures(prepared));
    }

    /// <summary>The trend on the original scale (forecaster.py: <c>predict_trend</c>).</summary>
    internal double[] PredictTrend(PreparedFrame df)
    {
        var p = Params!;
        var scaled = Options.Growth switch
        {
            Growth.Linear => PiecewiseTrend.Linear(df.T, p.K, p.M, p.Delta, ChangepointsT),
            Growth.Logistic => PiecewiseTrend.Logistic(df.T, df.CapScaled!, p.K, p.M, p.Delta, ChangepointsT),
            _ => PiecewiseTrend.Flat(df.RowCount, p.M),
        };
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = (scaled[i] * YScale) + df.Floor[i];
        }

        return scaled;
    }

    /// <summary>
    /// Every component X·(beta ∘ indicator), additive ones times y_scale (forecaster.py:
    /// <c>predict_seasonal_components</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Dictionary<string, double[]> PredictSeasonalComponents(FeatureMatrix features)
    {
        var beta = Params!.Beta;
        var additiveModes = new HashSet<string>(ComponentModes[SeasonalityMode.Additive], StringComparer.Ordinal);
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var n = features.Rows;
        var k = features.Columns;
        foreach (var (component, columns) in TrainComponentColumns)
        {
            var values = new double[n];
            var scale = additiveModes.Contains(component) ? YScale : 1.0;
            for (var i = 0; i < n; i++)
            {
                var sum = 0.0;
                var offset = i * k;
                foreach (var j in columns)
                {
                    sum += features.Values[offset + j] * beta[j];
                }

                values[i] = sum * scale;
            }

            result[component] = values;
        }

        return result;
    }

    /// <summary>
    /// Raw simulated paths (forecaster.py: <c>predictive_samples</c>): yhat and trend, rows × uncertainty_samples
    /// (row-major), on the original scale.
    /// </summary>
    public PredictiveSamples PredictiveSamples(ProphetFrame? df = null, CancellationToken cancellationToken = default)
    {
        if (Options.UncertaintySamples <= 0)
        {
            throw new InvalidOperationException("uncertainty_samples is 0: there are no samples to draw. Create the model with UncertaintySamples > 0.");
        }

        var (prepared, features) = PrepareForPrediction(df);
        var samples = Options.UncertaintySamples;
        var yhat = new double[prepared.RowCount * samples];
        var trend = new double[prepared.RowCount * samples];
        var simulator = CreateSimulator(prepared, features);
        simulator.Simulate(0, prepared.RowCount, yhat, trend, cancellationToken);
        return new PredictiveSamples(prepared.Ds, samples, yhat, trend);
    }

    /// <summary>
    /// Intervals from simulated future trend changes plus observation noise (forecaster.py:
    /// <c>predict_uncertainty</c>; R prophet 1.0's per-path Poisson changepoint simulation, spec §12a), computed in
    /// blocks of rows so memory stays O(block × samples).
    /// </summary>
    internal UncertaintyIntervals PredictUncertainty(PreparedFrame prepared, FeatureMatrix features, CancellationToken cancellationToken = default)
    {
        var n = prepared.RowCount;
        var samples = Options.UncertaintySamples;
        var lowerQ = (1 - Options.IntervalWidth) / 2;
        var upperQ = (1 + Options.IntervalWidth) / 2;
        var result = new UncertaintyIntervals(new double[n], new double[n], new double[n], new double[n]);
        var simulator = CreateSimulator(prepared, features);

        // Rows up to the end of the history (t <= 1) see no simulated changepoint: yhat is the point forecast plus
        // N(0, (sigma_obs·y_scale)²), whose percentiles are exact; only later rows are simulated (unless asked).
        var first = 0;
        if (!Options.SimulateHistoryIntervals)
        {
            var lowerZ = NormalQuantile.Of(lowerQ) * simulator.NoiseScale;
            var upperZ = NormalQuantile.Of(upperQ) * simulator.NoiseScale;
            while (first < n && prepared.T[first] <= 1.0)
            {
                var (trendValue, yhatValue) = simulator.DeterministicRow(first);
                result.YhatLower[first] = yhatValue + lowerZ;
                result.YhatUpper[first] = yhatValue + upperZ;
                result.TrendLower[first] = trendValue;
                result.TrendUpper[first] = trendValue;
                first++;
            }
        }

        // Blocks of rows keep the path × row buffers in cache; paths run in parallel inside the simulator and the
        // per-row percentiles run in parallel here.
        const int block = 64;
        var yhat = new double[block * samples];
        var trend = new double[block * samples];
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        for (var start = first; start < n; start += block)
        {
            var rows = Math.Min(block, n - start);
            simulator.Simulate(start, rows, yhat, trend, cancellationToken);
            var blockStart = start;
            Parallel.For(0, rows, options, r =>
            {
                var y = yhat.AsSpan(r * samples, samples);
                var tr = trend.AsSpan(r * samples, samples);
                result.YhatLower[blockStart + r] = Percentile.Linear(y, lowerQ);
                result.YhatUpper[blockStart + r] = Percentile.Linear(y, upperQ);
                result.TrendLower[blockStart + r] = Percentile.Linear(tr, lowerQ);
                result.TrendUpper[blockStart + r] = Percentile.Linear(tr, upperQ);
            });
        }

        return result;
    }

    /// <summary>Switches the interval simulation of a fitted model (the fit does not depend on it).</summary>
    public void SetIntervalMethod(IntervalMethod method) => Options = Options with { IntervalMethod = method };

    private ITrendPathSimulator CreateSimulator(PreparedFrame prepared, FeatureMatrix features) =>
        Options.IntervalMethod == IntervalMethod.PythonVectorized
            ? new VectorizedTrendSimulator(this, prepared, features)
            : new TrendSimulator(this, prepared, features);

    /// <summary>
    /// Dates to predict on (forecaster.py: <c>make_future_dataframe</c>): <paramref name="periods"/> steps of
    /// <paramref name="frequency"/> after the last history date, preceded by every history date (including rows
    /// whose y was missing) when <paramref name="includeHistory"/>.
    /// </summary>
    public ProphetFrame MakeFutureDataFrame(int periods, FutureFrequency? frequency = null, bool includeHistory = true)
    {
        if (!IsFitted && HistoryDates.Length == 0)
        {
            throw new InvalidOperationException("Model has not been fit. Call Fit before MakeFutureDataFrame.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(periods);
        var freq = frequency ?? FutureFrequency.Day;
        var last = HistoryDates[^1];
        var dates = new List<DateTime>(periods + (includeHistory ? HistoryDates.Length : 0));
        if (includeHistory)
        {
            dates.AddRange(HistoryDates);
        }

        dates.AddRange(freq.After(last, periods));
        return new ProphetFrame(dates);
    }
}
