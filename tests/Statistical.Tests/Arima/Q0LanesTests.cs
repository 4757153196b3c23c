using Forecast.Statistical.Arima;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// Gardner et al.'s Q0 for up to four ARMA parts at once (one vector lane each, a numerical gradient's points) equals
/// getQ0's dense scalar computation of each to the bit: non-seasonal and seasonal parts, one to four lanes, lanes with
/// a zero coefficient where the others have none (their inclusions skip rows the others rotate), and lanes that equal
/// one another.
/// </summary>
public class Q0LanesTests
{
    [Vector256Theory]
    [InlineData(1, 1, 0, 0, 1)]
    [InlineData(2, 2, 0, 0, 1)]
    [InlineData(5, 3, 0, 0, 1)]
    [InlineData(2, 1, 1, 1, 4)]
    [InlineData(1, 2, 2, 1, 4)]
    [InlineData(0, 1, 1, 2, 4)]
    [InlineData(3, 0, 2, 0, 4)]
    [InlineData(1, 1, 1, 0, 12)]
    public void EachLaneIsTheScalarQ0ToTheBit(int p, int q, int sp, int sq, int period)
    {
        var arma = new ArimaOrder(p, 0, q, sp, 0, sq, period);
        var random = new Random(11);
        for (int count = 1; count <= 4; count++)
        {
            var phis = new double[4][];
            var thetas = new double[4][];
            for (int lane = 0; lane < count; lane++)
            {
                var raw = new double[arma.ArmaCount];
                for (int i = 0; i < raw.Length; i++) raw[i] = random.NextDouble() * 1.6 - 0.8;
                if (lane == 1 && p > 1) raw[1] = 0; // a zero AR coefficient in one lane only
                if (lane == 2 && q > 0) raw[p] = 0; // a zero MA coefficient in one lane only
                if (lane == 3) raw = [.. raw.Select(v => Math.Round(v, 1))]; // coefficients of ±0.0 among others
                (phis[lane], thetas[lane]) = ArimaParameters.Expand(raw, arma, true);
                if (lane == 3 && p == 2) (phis[lane], thetas[lane]) = (phis[0], thetas[0]); // a lane repeating another
            }
            ArimaKalman.HasQ0Lanes(phis[0].Length, thetas[0].Length).Should().BeTrue("every case here has an AR part and 2-15 states");
            var results = new double[4][];
            ArimaKalman.Q0Lanes(phis, thetas, count, results);
            for (int lane = 0; lane < count; lane++)
            {
                var scalar = ArimaKalman.Q0(phis[lane], thetas[lane], sparse: false);
                results[lane].Should().HaveCount(scalar.Length);
                for (int i = 0; i < scalar.Length; i++)
                    BitConverter.DoubleToInt64Bits(results[lane][i]).Should().Be(BitConverter.DoubleToInt64Bits(scalar[i]),
                        "element {0} of lane {1} of {2}", i, lane, count);
            }
        }
    }

    [Fact]
    public void WithoutAnArPartOrWithManyStatesTheLanesDecline()
    {
        ArimaKalman.HasQ0Lanes(0, 3).Should().BeFalse("a pure moving average needs no inclusions");
        ArimaKalman.HasQ0Lanes(1, 0).Should().BeFalse("one state: Q0 is 1 / (1 − φ²)");
        ArimaKalman.HasQ0Lanes(16, 0).Should().BeFalse("from 16 states on Q0 rotates sparsely");
    }
}
