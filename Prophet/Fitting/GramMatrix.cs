using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Prophet;

/// <summary>
/// Z'Z for a tall matrix Z stored by columns: the O(T·p²) step of both exact solvers (the Gram matrix of the linear
/// model and of each Gauss–Newton linearisation). Dot products of column pairs, computed in 2 × 4 register blocks so
/// that each load of a column segment feeds four fused multiply-adds.
/// </summary>
internal static class GramMatrix
{
    /// <summary>Rows are padded to a multiple of this (with zeros) so the kernel needs no remainder loop.</summary>
    public const int RowPadding = 4;

    /// <summary>Column stride for <paramref name="rows"/> rows: the row count rounded up to <see cref="RowPadding"/>.</summary>
    public static int Stride(int rows) => (rows + RowPadding - 1) / RowPadding * RowPadding;

    /// <summary>
    /// gram (p × p, row-major, both triangles) = Z'Z, where column c of Z is columns[c·stride .. c·stride + stride)
    /// (rows beyond the data zero).
    /// </summary>
    public static void Compute(double[] columns, int stride, int p, double[] gram) => Compute(columns, stride, p, gram, default, 0, 0);

    /// <summary>
    /// <see cref="Compute(double[], int, int, double[])"/> knowing that column c is zero above row firstRow[c] (empty: no
    /// such knowledge; a changepoint's column starts at its changepoint), and keeping the entries of gram whose row and
    /// column both lie in [keepStart, keepEnd) as they are (a block of Z that has not changed since the last call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(double[] columns, int stride, int p, double[] gram, ReadOnlySpan<int> firstRow, int keepStart, int keepEnd)
    {
        for (var a = 0; a < p; a += 2)
        {
            var a1 = Math.Min(a + 1, p - 1);
            for (var b = a; b < p; b += 4)
            {
                var b3 = Math.Min(b + 3, p - 1);
                if (a >= keepStart && a1 < keepEnd && b >= keepStart && b3 < keepEnd)
                {
                    continue;
                }

                var start = 0;
                if (!firstRow.IsEmpty)
                {
                    var rowsA = Math.Min(firstRow[a], firstRow[a1]);
                    var rowsB = firstRow[b];
                    for (var c = b + 1; c <= b3; c++)
                    {
                        rowsB = Math.Min(rowsB, firstRow[c]);
                    }

                    start = Math.Min(Math.Max(rowsA, rowsB), stride) / RowPadding * RowPadding;
                }

                if (b3 - b < 3)
                {
                    // Fewer than four columns left: one column at a time (the 2 × 4 kernel would redo clamped ones).
                    for (var c = b; c <= b3; c++)
                    {
                        Narrow(columns, stride, start, a, a1, c, gram, p);
                    }
                }
                else
                {
                    Block(columns, stride, start, a, a1, b, p, gram);
                }
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < a; b++)
            {
                gram[(a * p) + b] = gram[(b * p) + a];
            }
        }
    }

    /// <summary>
    /// For columns [Z, y] (p + 1 columns): G = Z'Z (p × p), Z'y and y'y, the sufficient statistics of a linear model.
    /// </summary>
    public static (double[] Gram, double[] Zy, double Yy) NormalEquations(double[] columns, int stride, int p) =>
        NormalEquations(columns, stride, p, new double[(p + 1) * (p + 1)], default, 0, 0);

    /// <summary>
    /// <see cref="NormalEquations(double[], int, int)"/> into the (p + 1)² work matrix <paramref name="full"/>, with the
    /// zero leading rows and unchanged block of <see cref="Compute(double[], int, int, double[], ReadOnlySpan{int}, int, int)"/>.
    /// </summary>
    public static (double[] Gram, double[] Zy, double Yy) NormalEquations(double[] columns, int stride, int p, double[] full,
        ReadOnlySpan<int> firstRow, int keepStart, int keepEnd)
    {
        var q = p + 1;
        Compute(columns, stride, q, full, firstRow, keepStart, keepEnd);
        var gram = new double[p * p];
        var zy = new double[p];
        for (var a = 0; a < p; a++)
        {
            Array.Copy(full, a * q, gram, a * p, p);
            zy[a] = full[(a * q) + p];
        }

        return (gram, zy, full[(p * q) + p]);
    }

    /// <summary>Rows a and a1 (a1 = a when a is the last), columns b..b+3 (clamped to p) of the upper triangle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(double[] columns, int stride, int start, int a, int a1, int b, int p, double[] gram)
    {
        var b1 = Math.Min(b + 1, p - 1);
        var b2 = Math.Min(b + 2, p - 1);
        var b3 = Math.Min(b + 3, p - 1);
        var span = columns.AsSpan();
        var x0 = span.Slice(a * stride, stride);
        var x1 = span.Slice(a1 * stride, stride);
        var y0 = span.Slice(b * stride, stride);
        var y1 = span.Slice(b1 * stride, stride);
        var y2 = span.Slice(b2 * stride, stride);
        var y3 = span.Slice(b3 * stride, stride);
        Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<double> s10 = default, s11 = default, s12 = default, s13 = default;
        for (var t = start; t < stride; t += 4)
        {
            var u0 = Vector256.Create<double>(x0.Slice(t, 4));
            var u1 = Vector256.Create<double>(x1.Slice(t, 4));
            var v0 = Vector256.Create<double>(y0.Slice(t, 4));
            var v1 = Vector256.Create<double>(y1.Slice(t, 4));
            var v2 = Vector256.Create<double>(y2.Slice(t, 4));
            var v3 = Vector256.Create<double>(y3.Slice(t, 4));
            s00 = Vector256.FusedMultiplyAdd(u0, v0, s00);
            s01 = Vector256.FusedMultiplyAdd(u0, v1, s01);
            s02 = Vector256.FusedMultiplyAdd(u0, v2, s02);
            s03 = Vector256.FusedMultiplyAdd(u0, v3, s03);
            s10 = Vector256.FusedMultiplyAdd(u1, v0, s10);
            s11 = Vector256.FusedMultiplyAdd(u1, v1, s11);
            s12 = Vector256.FusedMultiplyAdd(u1, v2, s12);
            s13 = Vector256.FusedMultiplyAdd(u1, v3, s13);
        }

        Store(gram, p, a, b, b1, b2, b3, s00, s01, s02, s03);
        if (a1 != a)
        {
            Store(gram, p, a1, b, b1, b2, b3, s10, s11, s12, s13);
        }
    }

    /// <summary>Rows a and a1 of column c (upper triangle only), in the same summation order as <see cref="Block"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow(double[] columns, int stride, int start, int a, int a1, int c, double[] gram, int p)
    {
        var span = columns.AsSpan();
        var x0 = span.Slice(a * stride, stride);
        var x1 = span.Slice(a1 * stride, stride);
        var y = span.Slice(c * stride, stride);
        Vector256<double> s0 = default, s1 = default;
        for (var t = start; t < stride; t += 4)
        {
            var v = Vector256.Create<double>(y.Slice(t, 4));
            s0 = Vector256.FusedMultiplyAdd(Vector256.Create<double>(x0.Slice(t, 4)), v, s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Create<double>(x1.Slice(t, 4)), v, s1);
        }

        if (c >= a)
        {
            gram[(a * p) + c] = Vector256.Sum(s0);
        }

        if (a1 != a && c >= a1)
        {
            gram[(a1 * p) + c] = Vector256.Sum(s1);
        }
    }

    private static void Store(double[] gram, int p, int row, int b, int b1, int b2, int b3,
        Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3)
    {
        // Only the upper triangle (column >= row); clamped duplicates of the last column write the same value.
        if (b >= row)
        {
            gram[(row * p) + b] = Vector256.Sum(s0);
        }

        if (b1 >= row)
        {
            gram[(row * p) + b1] = Vector256.Sum(s1);
        }

        if (b2 >= row)
        {
            gram[(row * p) + b2] = Vector256.Sum(s2);
        }

        if (b3 >= row)
        {
            gram[(row * p) + b3] = Vector256.Sum(s3);
        }
    }
}
