using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// The design matrix [J_trend, B] of prophet's mean, linear or linearised, stored the way its structure allows.
/// Between two changepoints every trend row is a combination of the same two vectors: row i in segment g (g changepoints
/// at or before it) is c1_i·U_g + c2_i·V_g over the columns k, m, delta. Linear growth: U_g = e_k + Σ_{j&lt;g} e_delta_j,
/// V_g = e_m - Σ_{j&lt;g} t_change_j e_delta_j, c1 = t, c2 = 1; logistic growth: U_g, V_g are d(k_g)/dθ and d(m_g)/dθ of
/// the segment's rate and offset, c1 = cap·s(1-s)·(t - m_g), c2 = -cap·s(1-s)·k_g; flat growth: U = 0, V = e_m; each
/// times the row's multiplier 1 + X·(beta ∘ s_m). So the trend blocks of the normal equations need per segment only a
/// 2 × 2 matrix and two K-vectors of row sums: O(T·K) instead of the O(T·(S+K)·S) of a dense product. B (the beta
/// columns) is dense, by columns.
/// </summary>
internal sealed class SegmentedDesign
{
    public SegmentedDesign(int rows, int changepoints, int features)
    {
        Rows = rows;
        TrendColumns = 2 + changepoints;
        Segments = changepoints + 1;
        Features = features;
        SegmentStart = new int[Segments + 1];
        U = FitBuffers.Rent(Segments * TrendColumns);
        V = FitBuffers.Rent(Segments * TrendColumns);
        C1 = FitBuffers.Rent(rows);
        C2 = FitBuffers.Rent(rows);
        _denseGram = FitBuffers.Rent((features + 1) * (features + 1));
    }

    // The Gram of [B, r], (K + 1)², rewritten whole by every NormalEquations call.
    private readonly double[] _denseGram;

    public int Rows { get; }

    /// <summary>2 + S: k, m and the deltas.</summary>
    public int TrendColumns { get; }

    /// <summary>S + 1: rows with 0, 1, ..., S changepoints at or before them.</summary>
    public int Segments { get; }

    /// <summary>K: the beta columns.</summary>
    public int Features { get; }

    /// <summary>Segment g holds rows SegmentStart[g] .. SegmentStart[g + 1] - 1.</summary>
    public int[] SegmentStart { get; }

    /// <summary>U_g and V_g, row g of Segments × TrendColumns.</summary>
    public double[] U { get; }

    public double[] V { get; }

    public double[] C1 { get; }

    public double[] C2 { get; }

    /// <summary>
    /// The changepoints t_change_j when U_g and V_g have linear growth's closed form (set by the caller that filled
    /// them: U_g = e_k + Σ_{j&lt;g} e_delta_j, V_g = e_m - Σ_{j&lt;g} t_change_j e_delta_j); null for any other trend.
    /// </summary>
    public double[]? LinearChangepoints { get; set; }

    /// <summary>True when U = 0 and V_g = e_m for every segment (flat growth), set by the caller that filled them.</summary>
    public bool Flat { get; set; }

    /// <summary>Sets the segments from each changepoint's first row (rows at or after it).</summary>
    public void SetSegments(ReadOnlySpan<int> firstActiveRow)
    {
        SegmentStart[0] = 0;
        for (var g = 1; g < Segments; g++)
        {
            SegmentStart[g] = firstActiveRow[g - 1];
        }

        SegmentStart[Segments] = Rows;
    }

    /// <summary>(J θ_trend)_i for all rows: c1_i·(U_g·θ) + c2_i·(V_g·θ), added to <paramref name="destination"/>.</summary>
    public void AddTrendProduct(ReadOnlySpan<double> thetaTrend, Span<double> destination)
    {
        var p = TrendColumns;
        for (var g = 0; g < Segments; g++)
        {
            var u = VectorMath.Dot(U.AsSpan(g * p, p), thetaTrend);
            var v = VectorMath.Dot(V.AsSpan(g * p, p), thetaTrend);
            for (var i = SegmentStart[g]; i < SegmentStart[g + 1]; i++)
            {
                destination[i] += (C1[i] * u) + (C2[i] * v);
            }
        }
    }

    /// <summary>
    /// The normal equations of [J_trend, B, r] into <paramref name="full"/> ((p + 1)², p = TrendColumns + Features,
    /// row-major, both triangles): G = Z'Z, Z'r and r'r. B is columns[j·stride ..] for j &lt; Features and r is
    /// columns[Features·stride ..]. With <paramref name="keepFeatureBlock"/> the B'B block is left as the last call
    /// computed it (B has not changed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void NormalEquations(double[] columns, int stride, double[] full, bool keepFeatureBlock)
    {
        int p = TrendColumns, k = Features, q = p + k + 1;
        // B'B, B'r and r'r: the dense Gram of [B, r], placed at offset p.
        var dense = k + 1;
        var block = _denseGram;
        if (keepFeatureBlock)
        {
            for (var a = 0; a < k; a++)
            {
                Array.Copy(full, ((p + a) * q) + p, block, a * dense, k);
            }
        }

        GramMatrix.Compute(columns, stride, dense, block, default, keepFeatureBlock ? 0 : dense, keepFeatureBlock ? k : dense);
        for (var a = 0; a < dense; a++)
        {
            Array.Copy(block, a * dense, full, ((p + a) * q) + p, dense);
        }

        // Per segment: the 2 × 2 moments of (c1, c2) and their products with every dense column.
        Array.Clear(full, 0, p * q);
        for (var a = p; a < q; a++)
        {
            full.AsSpan(a * q, p).Clear();
        }

        if (LinearChangepoints is not null || Flat)
        {
            StructuredTrendBlocks(columns, stride, full);
            return;
        }

        var s1 = new double[dense];
        var s2 = new double[dense];
        for (var g = 0; g < Segments; g++)
        {
            int start = SegmentStart[g], count = SegmentStart[g + 1] - start;
            if (count <= 0)
            {
                continue;
            }

            var c1 = C1.AsSpan(start, count);
            var c2 = C2.AsSpan(start, count);
            var m11 = VectorMath.Dot(c1, c1);
            var m12 = VectorMath.Dot(c1, c2);
            var m22 = VectorMath.Dot(c2, c2);
            for (var j = 0; j < dense; j++)
            {
                (s1[j], s2[j]) = VectorMath.Dot2(c1, c2, columns.AsSpan((j * stride) + start, count));
            }

            // U_g and V_g are zero beyond the changepoints before segment g (k_g and m_g depend on k, m and the deltas
            // of earlier changepoints only): the products stop at the last non-zero entry (adding zeros changes nothing).
            var used = p;
            while (used > 0 && U[(g * p) + used - 1] == 0 && V[(g * p) + used - 1] == 0)
            {
                used--;
            }

            var u = U.AsSpan(g * p, used);
            var v = V.AsSpan(g * p, used);
            for (var a = 0; a < used; a++)
            {
                double ua = u[a], va = v[a];
                if (ua == 0 && va == 0)
                {
                    continue;
                }

                // Trend × trend: U (m11 U + m12 V)' + V (m12 U + m22 V)'.
                var rowA = full.AsSpan(a * q, used);
                VectorMath.Axpy((ua * m11) + (va * m12), u, rowA);
                VectorMath.Axpy((ua * m12) + (va * m22), v, rowA);

                // Trend × [B, r].
                var cross = full.AsSpan((a * q) + p, dense);
                VectorMath.Axpy(ua, s1, cross);
                VectorMath.Axpy(va, s2, cross);
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = p; b < q; b++)
            {
                full[(b * q) + a] = full[(a * q) + b];
            }
        }
    }

    /// <summary>
    /// The trend rows of the normal equations for linear or flat growth from suffix sums over the segments instead of
    /// one rank-two update per segment: O(S·K + (2 + S)²) instead of O(S·(2 + S)·(2 + S + K)). With M_xy(q) and
    /// s_x(q) the moments and dense-column products of (c1, c2) summed over the segments g ≥ q, linear growth's closed
    /// form of U_g and V_g gives (k, k) = M11(0), (k, m) = M12(0), (m, m) = M22(0); (k, delta_j) = M11(j+1) -
    /// t_j·M12(j+1), (m, delta_j) = M12(j+1) - t_j·M22(j+1); (delta_i, delta_j) = M11(q) - (t_i + t_j)·M12(q) +
    /// t_i·t_j·M22(q) with q = max(i, j) + 1; and against a dense column b, s1(0)_b, s2(0)_b and s1(j+1)_b -
    /// t_j·s2(j+1)_b. Flat growth has only the m row: M22(0) and s2(0). Rows of <paramref name="full"/> are cleared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StructuredTrendBlocks(double[] columns, int stride, double[] full)
    {
        int p = TrendColumns, dense = Features + 1, q = p + dense, s = p - 2;
        var changepoints = LinearChangepoints;
        Span<double> s1 = stackalloc double[dense];
        Span<double> s2 = stackalloc double[dense];
        s1.Clear();
        s2.Clear();
        double m11 = 0, m12 = 0, m22 = 0;
        for (var g = Segments - 1; g >= 0; g--)
        {
            int start = SegmentStart[g], count = SegmentStart[g + 1] - start;
            if (count > 0)
            {
                var c1 = C1.AsSpan(start, count);
                var c2 = C2.AsSpan(start, count);
                m11 += VectorMath.Dot(c1, c1);
                m12 += VectorMath.Dot(c1, c2);
                m22 += VectorMath.Dot(c2, c2);
                for (var b = 0; b < dense; b++)
                {
                    var (a1, a2) = VectorMath.Dot2(c1, c2, columns.AsSpan((b * stride) + start, count));
                    s1[b] += a1;
                    s2[b] += a2;
                }
            }

            if (g == 0 || changepoints is null)
            {
                continue;
            }

            // The sums now run over the segments g' ≥ g = j + 1: every entry of delta_j with k, m, delta_i (i ≤ j) and B.
            var j = g - 1;
            var tj = changepoints[j];
            var row = 2 + j;
            var kEntry = m11 - (tj * m12);
            var mEntry = m12 - (tj * m22);
            full[row] = full[row * q] = kEntry;
            full[q + row] = full[(row * q) + 1] = mEntry;
            for (var i = 0; i <= j; i++)
            {
                var ti = changepoints[i];
                var value = m11 - ((ti + tj) * m12) + (ti * tj * m22);
                full[((2 + i) * q) + row] = full[(row * q) + 2 + i] = value;
            }

            for (var b = 0; b < dense; b++)
            {
                full[(row * q) + p + b] = full[((p + b) * q) + row] = s1[b] - (tj * s2[b]);
            }
        }

        full[q + 1] = m22;
        for (var b = 0; b < dense; b++)
        {
            full[q + p + b] = full[((p + b) * q) + 1] = s2[b];
        }

        if (changepoints is null)
        {
            return; // flat growth: k and the deltas have zero columns
        }

        full[0] = m11;
        full[1] = full[q] = m12;
        for (var b = 0; b < dense; b++)
        {
            full[p + b] = full[(p + b) * q] = s1[b];
        }
    }
}
