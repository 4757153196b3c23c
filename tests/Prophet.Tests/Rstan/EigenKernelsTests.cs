using Forecast.Prophet.Rstan;

namespace Forecast.Prophet.Tests.Rstan;

/// <summary>The operation orders of Eigen 3.3.9 (SSE2) that rstan's sums follow.</summary>
public sealed class EigenKernelsTests
{
    /// <summary>
    /// Depth blocks Eigen's evaluateProductBlockingSizesHeuristic chose for these (rows × depth)·(depth × 1) products
    /// with a 32 KB L1 cache (printed by Eigen 3.3.9 itself): unblocked below 48 and up to max_kc = 504.
    /// </summary>
    [Theory]
    [InlineData(25, 2905, 488)]
    [InlineData(45, 2905, 488)]
    [InlineData(14, 18709, 496)]
    [InlineData(26, 2863, 480)]
    [InlineData(20, 293, 293)]
    [InlineData(2905, 25, 25)]
    [InlineData(1, 293, 293)]
    public void Depth_blocks_are_Eigens(int rows, int depth, int expected)
    {
        EigenKernels.DepthBlock(depth, rows, 32 * 1024).Should().Be(expected);
    }

    [Fact]
    public void Dot_adds_in_four_lanes_then_the_tail()
    {
        // Lanes: (0 + 4), (1 + 5), (2 + 6), (3 + 7), then (l0 + l2) + (l1 + l3), then 8: the ±1e16 cancel in lane
        // pair (0, 2) and both ones survive; summed in order, 1e16 + 1 rounds back to 1e16 and one of them is lost.
        double[] a = [1e16, 1, -1e16, 1, 0, 0, 0, 0, 0];
        double[] ones = [1, 1, 1, 1, 1, 1, 1, 1, 1];
        var sequential = 0.0;
        foreach (var v in a)
        {
            sequential += v;
        }

        EigenKernels.Dot(a, ones).Should().Be(2.0);
        sequential.Should().Be(1.0);
    }

    [Fact]
    public void Products_sum_each_depth_block_from_zero()
    {
        // 600 rows: max_kc 504 shrunk to 304 so the two blocks balance; the second block's ones are summed apart
        // from the first block's 1e16 (in one running sum each would round away).
        const int rows = 600;
        var column = new double[rows];
        var v = new double[rows];
        column[0] = 1e16;
        v[0] = 1;
        for (var i = 304; i < rows; i++)
        {
            column[i] = 1;
            v[i] = 1;
        }

        var destination = new double[1];
        EigenKernels.TransposeTimesVectorAdd(rows, 1, column, v, destination, new double[2], 32 * 1024);

        EigenKernels.DepthBlock(rows, 1, 32 * 1024).Should().Be(304);
        destination[0].Should().Be(1e16 + 296);
    }

    [Fact]
    public void L1_cache_size_comes_from_cpuid_in_whole_kilobytes()
    {
        var l1 = EigenCacheSizes.L1DataBytes;

        l1.Should().BePositive();
        (l1 % 1024).Should().Be(0);
    }

    [Theory]
    [InlineData(10, 7, true)] // 10 + 7 + 1 < 20: Eigen's coefficient-based product
    [InlineData(12, 7, false)]
    [InlineData(2905, 25, false)]
    public void Tiny_products_are_coefficient_based(int rows, int depth, bool lazy)
    {
        EigenKernels.IsLazy(rows, depth).Should().Be(lazy);
    }
}
