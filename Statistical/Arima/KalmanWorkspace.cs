namespace Forecast.Statistical.Arima;

/// <summary>Buffers of <see cref="ArimaKalman.Likelihood"/> for a state of one dimension, reused across the many evaluations of one fit.</summary>
internal sealed class KalmanWorkspace(int dimension)
{
    public int Dimension { get; } = dimension;
    public double[] ANew { get; } = new double[dimension];
    public double[] M { get; } = new double[dimension];
    public double[] M1 { get; } = new double[dimension];
    public double[] Mm { get; } = new double[dimension * dimension];
    public double[][] P { get; } = [new double[dimension * dimension], new double[dimension * dimension], new double[dimension * dimension]];
    public double[][] SteadyM { get; } = [new double[dimension], new double[dimension]];
    public double[][] SteadyP { get; } = [new double[dimension * dimension], new double[dimension * dimension]];
    public double[] SteadyGain { get; } = new double[2];
    public double[] SteadyLog { get; } = new double[2];
}
