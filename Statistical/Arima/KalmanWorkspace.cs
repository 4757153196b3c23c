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

    /// <summary>Indices of the nonzero AR coefficients.</summary>
    public int[] PhiIndices { get; private set; } = [];

    /// <summary>Indices of the nonzero differencing weights.</summary>
    public int[] DeltaIndices { get; private set; } = [];

    /// <summary>0 and 1 + the indices of the nonzero MA coefficients: the (1, theta) entries that are not zero.</summary>
    public int[] MaIndices { get; private set; } = [];

    /// <summary>(1, theta, 0, ...) of length r.</summary>
    public double[] V { get; private set; } = [];

    /// <summary>phi padded with zeros to length r.</summary>
    public double[] PhiPadded { get; private set; } = [];

    /// <summary>Derived views of the coefficients for one likelihood evaluation.</summary>
    public void Prepare(double[] phi, double[] theta, double[] delta, int r)
    {
        // The zero pattern of the coefficients rarely changes between the evaluations of one fit: the index lists
        // are rebuilt only when it does.
        if (!SameIndices(PhiIndices, phi, 0)) PhiIndices = [.. Enumerable.Range(0, phi.Length).Where(i => phi[i] != 0)];
        if (!SameIndices(DeltaIndices, delta, 0)) DeltaIndices = [.. Enumerable.Range(0, delta.Length).Where(i => delta[i] != 0)];
        if (MaIndices.Length == 0 || !SameIndices(MaIndices.AsSpan(1), theta, 1))
            MaIndices = [0, .. Enumerable.Range(0, theta.Length).Where(i => theta[i] != 0).Select(i => i + 1)];
        if (V.Length != r) V = new double[r];
        if (PhiPadded.Length != r) PhiPadded = new double[r];
        V[0] = 1.0;
        for (int i = 1; i < r; i++) V[i] = i - 1 < theta.Length ? theta[i - 1] : 0.0;
        for (int i = 0; i < r; i++) PhiPadded[i] = i < phi.Length ? phi[i] : 0.0;
    }

    /// <summary>Whether <paramref name="indices"/> (each minus <paramref name="offset"/>) are exactly the nonzero positions of <paramref name="values"/>.</summary>
    private static bool SameIndices(ReadOnlySpan<int> indices, double[] values, int offset)
    {
        int k = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == 0) continue;
            if (k >= indices.Length || indices[k] - offset != i) return false;
            k++;
        }
        return k == indices.Length;
    }
}
