namespace Forecast.Prophet;

/// <summary>A simulator of predictive paths: R prophet 1.0's (<see cref="TrendSimulator"/>) or Python's (<see cref="VectorizedTrendSimulator"/>).</summary>
internal interface ITrendPathSimulator
{
    /// <summary>sigma_obs · y_scale, the sd of the observation noise.</summary>
    double NoiseScale { get; }

    /// <summary>Point trend and yhat of a row on the original scale (what every path has up to the end of the history).</summary>
    (double Trend, double Yhat) DeterministicRow(int i);

    /// <summary>
    /// Fills rows [start, start + rows) of every path into <paramref name="yhat"/> and <paramref name="trend"/>
    /// (row-major, row r of the block at [r * samples]). Blocks must be requested in increasing order.
    /// </summary>
    void Simulate(int start, int rows, double[] yhat, double[] trend, CancellationToken cancellationToken);
}
