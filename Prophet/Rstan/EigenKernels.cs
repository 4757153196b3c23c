using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forecast.Prophet.Rstan;

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
    /// Rows are independent, so they are computed several at a time (SIMD lanes are rows; no fused multiply-add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatrixTimesVector(int rows, int depth, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result, Span<double> scratch, int l1CacheBytes)
    {
        result = result[..rows];
        result.Clear();
        var sums = scratch[..rows];
        var block = DepthBlock(depth, rows, l1CacheBytes);
        for (var start = 0; start < depth; start += block)
        {
            var end = Math.Min(start + block, depth);
            sums.Clear();
            for (var c = start; c < end; c++)
            {
                MultiplyAdd(a.Slice(c * rows, rows), b[c], sums);
            }

            Add(sums, result);
        }
    }

    /// <summary>
    /// <c>destination[j] += (Aᵀ v)[j]</c> for a row-major rows × cols matrix A, as multiply_mat_vari::chain computes
    /// the adjoint (<c>adj += A.transpose() * adjAB</c>; a product is first evaluated into a temporary, Eigen's
    /// aliasing rule): the same general matrix–matrix product as <see cref="MatrixTimesVector"/>, now with depth = rows
    /// of A, so long columns are summed in <see cref="DepthBlock"/>-sized pieces, each from 0, the pieces added in
    /// order. Columns are independent, so they are accumulated several at a time (SIMD lanes are columns).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeTimesVectorAdd(int rows, int cols, ReadOnlySpan<double> aRowMajor, ReadOnlySpan<double> v, Span<double> destination, Span<double> scratch, int l1CacheBytes)
    {
        var total = scratch[..cols];
        var sums = scratch.Slice(cols, cols);
        total.Clear();
        var block = DepthBlock(rows, cols, l1CacheBytes);
        for (var start = 0; start < rows; start += block)
        {
            var end = Math.Min(start + block, rows);
            sums.Clear();
            for (var i = start; i < end; i++)
            {
                MultiplyAdd(aRowMajor.Slice(i * cols, cols), v[i], sums);
            }

            Add(sums, total);
        }

        Add(total, destination[..cols]);
    }

    /// <summary>
    /// <see cref="TransposeTimesVectorAdd"/> of one matrix with two vectors in one pass over its rows: each product's
    /// sums in the same order as alone (the same bits), the two chains of additions interleaved.
    /// <paramref name="scratch"/> holds 4·cols values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeTimesVectorAdd(int rows, int cols, ReadOnlySpan<double> aRowMajor, ReadOnlySpan<double> v, Span<double> destination,
        ReadOnlySpan<double> w, Span<double> otherDestination, Span<double> scratch, int l1CacheBytes)
    {
        var total = scratch[..cols];
        var sums = scratch.Slice(cols, cols);
        var otherTotal = scratch.Slice(2 * cols, cols);
        var otherSums = scratch.Slice(3 * cols, cols);
        total.Clear();
        otherTotal.Clear();
        var block = DepthBlock(rows, cols, l1CacheBytes);
        for (var start = 0; start < rows; start += block)
        {
            var end = Math.Min(start + block, rows);
            sums.Clear();
            otherSums.Clear();
            for (var i = start; i < end; i++)
            {
                var row = aRowMajor.Slice(i * cols, cols);
                MultiplyAdd(row, v[i], sums);
                MultiplyAdd(row, w[i], otherSums);
            }

            Add(sums, total);
            Add(otherSums, otherTotal);
        }

        Add(total, destination[..cols]);
        Add(otherTotal, otherDestination[..cols]);
    }

    /// <summary>
    /// Whether Eigen evaluates this (rows × depth)·(depth × 1) product coefficient by coefficient instead of by GEMM
    /// (GeneralMatrixMatrix.h evalTo: rhs rows + result rows + result cols &lt; 20): then
    /// <see cref="LazyMatrixTimesVector"/> and <see cref="LazyTransposeTimesVectorAdd"/> apply.
    /// </summary>
    public static bool IsLazy(int rows, int depth) => depth > 0 && depth + rows + 1 < 20;

    /// <summary>
    /// The coefficient-based product (ProductEvaluators.h, LazyProduct) of a column-major matrix and a vector: rows
    /// in packets of two sum their products in depth order from +0 (etor_product_packet_impl&lt;ColMajor&gt;); an odd
    /// last row is a plain sum starting from its first product (coeff: the redux of a strided row).
    /// </summary>
    public static void LazyMatrixTimesVector(int rows, int depth, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        var packetRows = rows & ~1;
        for (var j = 0; j < rows; j++)
        {
            var sum = j < packetRows ? (a[j] * b[0]) + 0.0 : a[j] * b[0];
            for (var c = 1; c < depth; c++)
            {
                sum = j < packetRows ? (a[(c * rows) + j] * b[c]) + sum : sum + (a[(c * rows) + j] * b[c]);
            }

            result[j] = sum;
        }
    }

    /// <summary>
    /// destination[c] += (Aᵀ v)[c] for a row-major rows × cols matrix when Eigen takes the coefficient-based product:
    /// each entry is the vectorised redux of a contiguous column of A times v (<see cref="Dot"/>'s order).
    /// </summary>
    public static void LazyTransposeTimesVectorAdd(int rows, int cols, ReadOnlySpan<double> aRowMajor, ReadOnlySpan<double> v, Span<double> destination)
    {
        Span<double> column = rows <= 64 ? stackalloc double[rows] : new double[rows];
        for (var c = 0; c < cols; c++)
        {
            for (var i = 0; i < rows; i++)
            {
                column[i] = aRowMajor[(i * cols) + c];
            }

            destination[c] += Dot(column, v);
        }
    }

    /// <summary>sums[j] += x[j] * factor (a product, then a sum, per element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(ReadOnlySpan<double> x, double factor, Span<double> sums)
    {
        var n = x.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vs = MemoryMarshal.Cast<double, Vector<double>>(sums[..n]);
            var vf = new Vector<double>(factor);
            for (var k = 0; k < vx.Length; k++)
            {
                vs[k] += vx[k] * vf;
            }

            i = vx.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            sums[i] += x[i] * factor;
        }
    }

    /// <summary>total[j] += x[j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ReadOnlySpan<double> x, Span<double> total)
    {
        var n = x.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vt = MemoryMarshal.Cast<double, Vector<double>>(total[..n]);
            for (var k = 0; k < vx.Length; k++)
            {
                vt[k] += vx[k];
            }

            i = vx.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            total[i] += x[i];
        }
    }

    /// <summary>
    /// <c>result = Aᵀ v</c> for a square column-major n × n matrix in 16-byte aligned storage and an aligned vector
    /// (Stan's <c>eigenvectors.transpose() * g</c>): products/GeneralMatrixVector.h general_matrix_vector_product
    /// &lt;RowMajor&gt;, each entry a packet dot product — even and odd rows in two lanes, the lanes summed, then the
    /// last odd row.
    /// </summary>
    public static void TransposedGemv(int n, ReadOnlySpan<double> a, ReadOnlySpan<double> v, Span<double> result)
    {
        var alignedSize = n & ~1;
        for (var c = 0; c < n; c++)
        {
            var column = a.Slice(c * n, n);
            double lane0 = 0, lane1 = 0;
            for (var j = 0; j < alignedSize; j += 2)
            {
                lane0 = (column[j] * v[j]) + lane0;
                lane1 = (column[j + 1] * v[j + 1]) + lane1;
            }

            var sum = 0.0 + (lane0 + lane1);
            if (alignedSize < n)
            {
                sum += column[n - 1] * v[n - 1];
            }

            result[c] = 0.0 + sum;
        }
    }

    /// <summary>
    /// <c>result = A v</c> for a square column-major n × n matrix in 16-byte aligned storage and an aligned vector
    /// (Stan's <c>eigenvectors * eigenprojections</c>): general_matrix_vector_product&lt;ColMajor&gt;, columns in
    /// groups of four whose products are added pairwise to each row's running sum ((a0 + a1) + (a2 + a3)); the last
    /// row of an odd n, outside the packets, adds them one at a time; the remaining columns one by one.
    /// </summary>
    public static void Gemv(int n, ReadOnlySpan<double> a, ReadOnlySpan<double> v, Span<double> result)
    {
        var rows = result[..n];
        rows.Clear();
        var alignedSize = n & ~1;
        var columnBound = n / 4 * 4;
        for (var c = 0; c < columnBound; c += 4)
        {
            var a0 = a.Slice(c * n, n);
            var a1 = a.Slice((c + 1) * n, n);
            var a2 = a.Slice((c + 2) * n, n);
            var a3 = a.Slice((c + 3) * n, n);
            double b0 = v[c], b1 = v[c + 1], b2 = v[c + 2], b3 = v[c + 3];
            for (var j = 0; j < alignedSize; j++)
            {
                rows[j] += ((a0[j] * b0) + (a1[j] * b1)) + ((a2[j] * b2) + (a3[j] * b3));
            }

            for (var j = alignedSize; j < n; j++)
            {
                rows[j] = (a0[j] * b0) + rows[j];
                rows[j] = (a1[j] * b1) + rows[j];
                rows[j] = (a2[j] * b2) + rows[j];
                rows[j] = (a3[j] * b3) + rows[j];
            }
        }

        for (var c = columnBound; c < n; c++)
        {
            var column = a.Slice(c * n, n);
            for (var j = 0; j < n; j++)
            {
                rows[j] += column[j] * v[c];
            }
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
