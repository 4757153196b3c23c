using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// The floating-point operation order of the Eigen 3.3.9 kernels (RcppEigen 0.3.3.9.3, the version rstan 2.21 and
/// R prophet 1.0 were built with) on x86-64 without -march, i.e. SSE2 packets of two doubles and no fused
/// multiply-add. Reproducing the order reproduces the rounding, so the R-compatible fit computes every sum exactly as
/// rstan does. Each method names the Eigen source it follows.
/// </summary>
internal static class EigenKernels
{
    /// <summary>
    /// <c>a.dot(b)</c> and <c>a.squaredNorm()</c>: Eigen/src/Core/Redux.h, redux_impl&lt;LinearVectorizedTraversal,
    /// NoUnrolling&gt; on an expression without direct access (alignedStart = 0). Two packets (lanes 0–3) take
    /// products 0..3 and then every fourth one, are added lane-wise, an odd last packet is added, the two lanes are
    /// summed (predux), then the last odd product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var size = a.Length;
        var alignedSize = size & ~1;
        if (alignedSize == 0)
        {
            return size == 0 ? 0.0 : a[0] * b[0];
        }

        var alignedSize2 = size & ~3;
        var r0 = a[0] * b[0];
        var r1 = a[1] * b[1];
        if (alignedSize > 2)
        {
            var s0 = a[2] * b[2];
            var s1 = a[3] * b[3];
            for (var index = 4; index < alignedSize2; index += 4)
            {
                r0 += a[index] * b[index];
                r1 += a[index + 1] * b[index + 1];
                s0 += a[index + 2] * b[index + 2];
                s1 += a[index + 3] * b[index + 3];
            }

            r0 += s0;
            r1 += s1;
            if (alignedSize > alignedSize2)
            {
                r0 += a[alignedSize2] * b[alignedSize2];
                r1 += a[alignedSize2 + 1] * b[alignedSize2 + 1];
            }
        }

        var result = r0 + r1;
        if (alignedSize < size)
        {
            result += a[alignedSize] * b[alignedSize];
        }

        return result;
    }

    /// <summary>sqrt(<see cref="Dot"/>(a, a)): Eigen's <c>norm()</c>.</summary>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>
    /// <c>result = A * b</c> for a column-major rows × depth matrix and a vector, as Stan's multiply_mat_vari
    /// evaluates it: both operands are dynamic matrices, so Eigen 3.3.9 runs the general matrix–matrix product
    /// (products/GeneralMatrixMatrix.h: setZero, then general_matrix_matrix_product with alpha = 1) even for one column.
    /// Its gebp kernel (products/GeneralBlockPanelKernel.h, the one-column paths) sums each row's products in depth
    /// order from 0 within a depth block of <see cref="DepthBlock"/> terms and adds each block's sum to the result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatrixTimesVector(int rows, int depth, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result, int l1CacheBytes)
    {
        result[..rows].Clear();
        var block = DepthBlock(depth, rows, l1CacheBytes);
        Span<double> sums = rows <= 4096 ? stackalloc double[rows] : new double[rows];
        for (var start = 0; start < depth; start += block)
        {
            var end = Math.Min(start + block, depth);
            sums.Clear();
            for (var c = start; c < end; c++)
            {
                var column = a.Slice(c * rows, rows);
                var bc = b[c];
                for (var j = 0; j < rows; j++)
                {
                    sums[j] += column[j] * bc;
                }
            }

            for (var j = 0; j < rows; j++)
            {
                result[j] += sums[j];
            }
        }
    }

    /// <summary>
    /// <c>destination[j] += (Aᵀ v)[j]</c> for a column-major rows × cols matrix A, as multiply_mat_vari::chain
    /// computes the adjoint (<c>adj += A.transpose() * adjAB</c>; a product is first evaluated into a temporary,
    /// Eigen's aliasing rule): the same general matrix–matrix product as <see cref="MatrixTimesVector"/>, now with depth
    /// = rows of A, so long columns are summed in <see cref="DepthBlock"/>-sized pieces.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeTimesVectorAdd(int rows, int cols, ReadOnlySpan<double> a, ReadOnlySpan<double> v, Span<double> destination, int l1CacheBytes)
    {
        var block = DepthBlock(rows, cols, l1CacheBytes);
        for (var c = 0; c < cols; c++)
        {
            var column = a.Slice(c * rows, rows);
            var result = 0.0;
            for (var start = 0; start < rows; start += block)
            {
                var end = Math.Min(start + block, rows);
                var sum = 0.0;
                for (var j = start; j < end; j++)
                {
                    sum += column[j] * v[j];
                }

                result += sum;
            }

            destination[c] += result;
        }
    }

    /// <summary>
    /// The depth blocking kc of a (rows × depth)·(depth × 1) product: GeneralBlockPanelKernel.h
    /// evaluateProductBlockingSizesHeuristic (one thread, KcFactor 1, SSE2 doubles: mr = 4, nr = 4). Problems with all
    /// dimensions below 48 are not blocked; otherwise kc ≤ max_kc = ((l1 − mr·nr·8) / ((mr + nr)·8)) rounded down to a
    /// multiple of 8, then shrunk so the last block is as large as possible with the same number of blocks.
    /// </summary>
    public static int DepthBlock(int depth, int rows, int l1CacheBytes)
    {
        const int mr = 4, nr = 4, peeling = 8;
        if (Math.Max(depth, Math.Max(rows, 1)) < 48)
        {
            return Math.Max(depth, 1);
        }

        var maxKc = Math.Max(((l1CacheBytes - (mr * nr * 8)) / ((mr + nr) * 8)) & ~(peeling - 1), 1);
        if (depth <= maxKc)
        {
            return depth;
        }

        return depth % maxKc == 0
            ? maxKc
            : maxKc - (peeling * ((maxKc - 1 - (depth % maxKc)) / (peeling * ((depth / maxKc) + 1))));
    }
}
