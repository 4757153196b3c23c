using Forecast.Statistical.Arima;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// Gardner et al.'s Q0 with the sparse inclusions (only the columns where AS 154's row or rbar's row may be nonzero are
/// rotated) equals getQ0's dense rotation to the bit, for seasonal and non-seasonal ARMA parts, one call after another
/// on the same thread (the sparse path leaves its work array zeroed for the next call).
/// </summary>
public class Q0SparseTests
{
    [Theory]
    [InlineData(1, 0, 0, 0, 1)]
    [InlineData(2, 2, 0, 0, 1)]
    [InlineData(5, 3, 0, 0, 1)]
    [InlineData(3, 0, 2, 0, 24)]
    [InlineData(2, 1, 1, 1, 24)]
    [InlineData(1, 2, 2, 1, 12)]
    [InlineData(0, 1, 1, 2, 4)]
    [InlineData(4, 0, 1, 0, 48)]
    public void SparseInclusionsGiveGetQ0sBits(int p, int q, int sp, int sq, int period)
    {
        var arma = new ArimaOrder(p, 0, q, sp, 0, sq, period);
        var random = new Random(7);
        for (int trial = 0; trial < 4; trial++)
        {
            var raw = new double[arma.ArmaCount];
            for (int i = 0; i < raw.Length; i++) raw[i] = random.NextDouble() * 1.6 - 0.8;
            if (trial == 3 && p > 1) raw[1] = 0; // a zero coefficient inside the AR part
            // Stationary AR parts, as the optimiser's transformed parameters give them.
            var (phi, theta) = ArimaParameters.Expand(raw, arma, true);
            var dense = ArimaKalman.Q0(phi, theta, sparse: false);
            var sparse = ArimaKalman.Q0(phi, theta, sparse: true);
            sparse.Should().HaveCount(dense.Length);
            for (int i = 0; i < dense.Length; i++)
                BitConverter.DoubleToInt64Bits(sparse[i]).Should().Be(BitConverter.DoubleToInt64Bits(dense[i]), "element {0} of trial {1}", i, trial);
        }
    }
}
