using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forecast.Prophet.Rstan;

/// <summary>
/// prophet.stan's changepoint matrix A (transformed data get_changepoint_matrix: A[i, j] = 1 when t_i ≥ t_change_j)
/// and its two products in rstan's exact arithmetic, without the T × S dense work. Row i has its first a_i columns
/// set, column j its rows from f_j on. Eigen's product (<see cref="EigenKernels.MatrixTimesVector"/>,
/// <see cref="EigenKernels.TransposeTimesVectorAdd"/>) adds 1·v (= v) for the set entries and 0·v (= ±0, which
/// leaves a running sum started at +0 unchanged) for the others, in depth blocks each summed from +0; so a row of
/// A·v is a sum of per-block prefix sums of v (shared by the rows), and a column of Aᵀw a sum of per-block sums of w
/// from the column's first row (all columns accumulated together, row by row) — the same bits.
/// </summary>
internal sealed class StanChangepointMatrix
{
    private readonly int _rows;
    private readonly int _cols;
    private readonly int[] _activeColumns; // a_i
    private readonly int[] _firstRow; // f_j (rows when the column is empty)
    private readonly int _columnBlock; // depth block of A * v
    private readonly int _rowBlock; // depth block of A' * w
    private readonly double[] _prefix; // per column block: prefix sums of v, block length + 1 each
    private readonly double[] _columnSums; // A' w: each column's sum within the current row block
    private readonly double[] _columnTotals; // A' w: each column's sum over the blocks so far
    private readonly double[] _otherColumnSums; // the second vector's, when two are multiplied together
    private readonly double[] _otherColumnTotals;
    private readonly double[]? _dense; // A column-major, for the coefficient-based products of tiny problems

    public StanChangepointMatrix(ReadOnlySpan<double> t, ReadOnlySpan<double> tChange, int l1CacheBytes)
    {
        _rows = t.Length;
        _cols = tChange.Length;
        _activeColumns = new int[_rows];
        _firstRow = new int[_cols];
        Array.Fill(_firstRow, _rows);
        var active = 0;
        for (var i = 0; i < _rows; i++)
        {
            // get_changepoint_matrix's loop (t and t_change sorted).
            while (active < _cols && t[i] >= tChange[active])
            {
                _firstRow[active] = i;
                active++;
            }

            _activeColumns[i] = active;
        }

        _columnBlock = EigenKernels.DepthBlock(_cols, _rows, l1CacheBytes);
        _rowBlock = EigenKernels.DepthBlock(_rows, _cols, l1CacheBytes);
        _prefix = new double[_cols + ((_cols + _columnBlock - 1) / _columnBlock)];
        _columnSums = new double[_cols];
        _columnTotals = new double[_cols];
        _otherColumnSums = new double[_cols];
        _otherColumnTotals = new double[_cols];
        if (EigenKernels.IsLazy(_rows, _cols))
        {
            _dense = new double[_rows * _cols];
            for (var j = 0; j < _cols; j++)
            {
                for (var i = _firstRow[j]; i < _rows; i++)
                {
                    _dense[(j * _rows) + i] = 1.0;
                }
            }
        }
    }

    /// <summary>result = A v, as Eigen's product computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Times(ReadOnlySpan<double> v, Span<double> result)
    {
        if (_dense is not null)
        {
            EigenKernels.LazyMatrixTimesVector(_rows, _cols, _dense, v, result);
            return;
        }

        // Prefix sums of v within each column block, each from +0.
        var offset = 0;
        for (var start = 0; start < _cols; start += _columnBlock)
        {
            var end = Math.Min(start + _columnBlock, _cols);
            var sum = 0.0;
            _prefix[offset++] = sum;
            for (var j = start; j < end; j++)
            {
                sum += v[j];
                _prefix[offset++] = sum;
            }
        }

        for (var i = 0; i < _rows; i++)
        {
            var active = _activeColumns[i];
            var value = 0.0;
            offset = 0;
            for (var start = 0; start < _cols; start += _columnBlock)
            {
                var length = Math.Min(_columnBlock, _cols - start);
                value += _prefix[offset + Math.Clamp(active - start, 0, length)];
                offset += length + 1;
            }

            result[i] = value;
        }
    }

    /// <summary>destination[j] += (Aᵀ w)[j], as multiply_mat_vari::chain computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TransposeTimesAdd(ReadOnlySpan<double> w, Span<double> destination)
    {
        if (_dense is not null)
        {
            for (var j = 0; j < _cols; j++)
            {
                destination[j] += EigenKernels.Dot(_dense.AsSpan(j * _rows, _rows), w[.._rows]);
            }

            return;
        }

        // Column j of block b sums w_i over the block's rows i ≥ f_j in row order from +0 (the whole block's sum when
        // f_j is at or before the block, +0 when after it), and the blocks' sums are added in order from +0. Every
        // column's sum is kept in order, but the columns advance together: row i adds w_i to the columns active at
        // row i, a prefix 0..a_i of them, so a row is one vector add instead of a pass per column.
        var totals = _columnTotals;
        var sums = _columnSums;
        Array.Clear(totals);
        for (var start = 0; start < _rows; start += _rowBlock)
        {
            var end = Math.Min(start + _rowBlock, _rows);
            Array.Clear(sums);
            for (var i = start; i < end; i++)
            {
                AddToPrefix(sums.AsSpan(0, _activeColumns[i]), w[i]);
            }

            for (var j = 0; j < _cols; j++)
            {
                totals[j] += sums[j];
            }
        }

        for (var j = 0; j < _cols; j++)
        {
            destination[j] += totals[j];
        }
    }

    /// <summary>
    /// <see cref="TransposeTimesAdd(ReadOnlySpan{double}, Span{double})"/> for two vectors in one pass over the rows:
    /// destination[j] += (Aᵀ w)[j] and otherDestination[j] += (Aᵀ other)[j], each column's sums in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TransposeTimesAdd(ReadOnlySpan<double> w, Span<double> destination, ReadOnlySpan<double> other, Span<double> otherDestination)
    {
        if (_dense is not null)
        {
            TransposeTimesAdd(w, destination);
            TransposeTimesAdd(other, otherDestination);
            return;
        }

        var totals = _columnTotals;
        var sums = _columnSums;
        var otherTotals = _otherColumnTotals;
        var otherSums = _otherColumnSums;
        Array.Clear(totals);
        Array.Clear(otherTotals);
        for (var start = 0; start < _rows; start += _rowBlock)
        {
            var end = Math.Min(start + _rowBlock, _rows);
            Array.Clear(sums);
            Array.Clear(otherSums);
            for (var i = start; i < end; i++)
            {
                AddToPrefix(sums.AsSpan(0, _activeColumns[i]), w[i], otherSums.AsSpan(0, _activeColumns[i]), other[i]);
            }

            for (var j = 0; j < _cols; j++)
            {
                totals[j] += sums[j];
                otherTotals[j] += otherSums[j];
            }
        }

        for (var j = 0; j < _cols; j++)
        {
            destination[j] += totals[j];
            otherDestination[j] += otherTotals[j];
        }
    }

    /// <summary>values[j] += addend and others[j] += otherAddend for every j (one rounding per element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToPrefix(Span<double> values, double addend, Span<double> others, double otherAddend)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            var vectors = MemoryMarshal.Cast<double, Vector<double>>(values);
            var otherVectors = MemoryMarshal.Cast<double, Vector<double>>(others);
            var broadcast = new Vector<double>(addend);
            var otherBroadcast = new Vector<double>(otherAddend);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] += broadcast;
                otherVectors[v] += otherBroadcast;
            }

            i = vectors.Length * Vector<double>.Count;
        }

        for (; i < values.Length; i++)
        {
            values[i] += addend;
            others[i] += otherAddend;
        }
    }

    /// <summary>values[j] += addend for every j (one rounding per element, as a scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToPrefix(Span<double> values, double addend)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            var vectors = MemoryMarshal.Cast<double, Vector<double>>(values);
            var broadcast = new Vector<double>(addend);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] += broadcast;
            }

            i = vectors.Length * Vector<double>.Count;
        }

        for (; i < values.Length; i++)
        {
            values[i] += addend;
        }
    }
}
