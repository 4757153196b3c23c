using System.Numerics;
using System.Runtime.InteropServices;

namespace Forecast.Prophet.Rstan;

/// <summary>
/// Eigen 3.3.9's <c>SelfAdjointEigenSolver&lt;MatrixXd&gt;</c>, which Stan's Newton step uses, with its exact
/// floating-point operation order on x86-64 SSE2 (Eigenvalues/SelfAdjointEigenSolver.h compute and
/// computeFromTridiagonal_impl, Eigenvalues/Tridiagonalization.h, Householder/Householder.h and
/// HouseholderSequence.h, products/SelfadjointMatrixVector.h, products/SelfadjointRank2Update.h, Jacobi/Jacobi.h):
/// only the lower triangle is read; the matrix is scaled by its largest |entry|; Householder tridiagonalisation; Q
/// accumulated in place from the reflectors; implicit symmetric QR steps with Wilkinson's shift and Givens rotations
/// until every sub-diagonal entry is negligible (2·eps relative); eigenvalues sorted ascending with their vectors.
/// Matrices are column-major like Eigen's, in 16-byte aligned heap storage, whose element parities decide where its
/// vectorised loops start.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxIterations = 30; // SelfAdjointEigenSolver::m_maxIterations
    private const double SmallestNormal = 2.2250738585072014e-308; // numeric_limits<double>::min()

    /// <summary>
    /// Decomposes the symmetric matrix whose lower triangle is in the column-major <paramref name="matrix"/> (n × n;
    /// not modified) into ascending eigenvalues and eigenvectors (the columns of the column-major
    /// <paramref name="eigenvectors"/>).
    /// </summary>
    public static void Decompose(ReadOnlySpan<double> matrix, int n, double[] eigenvalues, double[] eigenvectors)
    {
        var mat = eigenvectors; // Eigen works in m_eivec
        if (n == 1)
        {
            eigenvalues[0] = matrix[0];
            mat[0] = 1;
            return;
        }

        // mat = matrix.triangularView<Lower>(); scaled to [-1, 1] (maxCoeff is exact in any order).
        Array.Clear(mat, 0, n * n);
        var scale = 0.0;
        for (var c = 0; c < n; c++)
        {
            for (var r = c; r < n; r++)
            {
                mat[(c * n) + r] = matrix[(c * n) + r];
                scale = Math.Max(scale, Math.Abs(matrix[(c * n) + r]));
            }
        }

        if (scale == 0)
        {
            scale = 1;
        }

        for (var c = 0; c < n; c++)
        {
            for (var r = c; r < n; r++)
            {
                mat[(c * n) + r] /= scale;
            }
        }

        var hCoeffs = new double[n - 1];
        Tridiagonalize(mat, n, hCoeffs);
        var subdiag = new double[n - 1];
        for (var i = 0; i < n; i++)
        {
            eigenvalues[i] = mat[(i * n) + i];
            if (i < n - 1)
            {
                subdiag[i] = mat[(i * n) + i + 1];
            }
        }

        FormQ(mat, n, hCoeffs);
        QrIterations(eigenvalues, subdiag, mat, n);
        for (var i = 0; i < n; i++)
        {
            eigenvalues[i] *= scale;
        }
    }

    /// <summary>Tridiagonalization.h tridiagonalization_inplace: the reflectors stay below the sub-diagonal.</summary>
    private static void Tridiagonalize(double[] mat, int n, double[] hCoeffs)
    {
        for (var i = 0; i < n - 1; i++)
        {
            var size = n - i - 1;
            var column = i * n; // v = mat.col(i).tail(size) starts at column + i + 1

            // makeHouseholderInPlace (Householder.h makeHouseholder): tail = v[1..]
            var c0 = mat[column + i + 1];
            var tailSquaredNorm = size == 1 ? 0.0 : EigenKernels.Dot(mat.AsSpan(column + i + 2, size - 1), mat.AsSpan(column + i + 2, size - 1));
            double tau, beta;
            if (tailSquaredNorm <= SmallestNormal)
            {
                tau = 0;
                beta = c0;
                mat.AsSpan(column + i + 2, size - 1).Clear();
            }
            else
            {
                beta = Math.Sqrt((c0 * c0) + tailSquaredNorm);
                if (c0 >= 0)
                {
                    beta = -beta;
                }

                var divisor = c0 - beta;
                for (var r = i + 2; r < n; r++)
                {
                    mat[column + r] /= divisor;
                }

                tau = (beta - c0) / beta;
            }

            mat[column + i + 1] = 1;
            var v = mat.AsSpan(column + i + 1, size);
            var h = hCoeffs.AsSpan(i, size);

            // hCoeffs.tail = selfadjointView<Lower>(corner) * (tau * v): setZero, then the kernel with alpha = tau.
            h.Clear();
            SelfAdjointTimesVector(mat, ((i + 1) * n) + i + 1, n, size, v, h, i, tau);

            // hCoeffs.tail += (tau * -0.5 * dot(hCoeffs.tail, v)) * v
            var factor = tau * -0.5 * EigenKernels.Dot(h, v);
            for (var r = 0; r < size; r++)
            {
                h[r] += factor * v[r];
            }

            // rankUpdate(v, hCoeffs.tail, -1) on the lower triangle (SelfadjointRank2Update.h, column by column):
            // col.tail += (-v[c]) * h.tail + (-h[c]) * v.tail
            for (var c = 0; c < size; c++)
            {
                var a1 = -1 * v[c];
                var a2 = -1 * h[c];
                var target = ((i + 1 + c) * n) + i + 1;
                AddTwoScaled(mat.AsSpan(target + c, size - c), a1, h[c..], a2, v[c..]);
            }

            mat[column + i + 1] = beta;
            hCoeffs[i] = tau;
        }
    }

    /// <summary>
    /// res += alpha · A·rhs for the symmetric A whose lower triangle is the size × size block at
    /// <paramref name="origin"/> (SelfadjointMatrixVector.h, ColMajor Lower): column pairs while more than 8 columns
    /// remain below, then single columns. In a pair, rows before the first 16-byte aligned result entry and after the
    /// last full packet are added term by term, rows in between by packets (a different association).
    /// <paramref name="resIndex"/> is res's index in its heap vector (hCoeffs), whose parity gives that alignment.
    /// </summary>
    private static void SelfAdjointTimesVector(double[] a, int origin, int stride, int size, ReadOnlySpan<double> rhs, Span<double> res, int resIndex, double alpha)
    {
        var bound = Math.Max(0, size - 8) & ~1;
        for (var j = 0; j < bound; j += 2)
        {
            var a0 = origin + (j * stride);
            var a1 = origin + ((j + 1) * stride);
            var t0 = alpha * rhs[j];
            var t1 = alpha * rhs[j + 1];
            var t2 = 0.0;
            var t3 = 0.0;
            double p2a = 0, p2b = 0, p3a = 0, p3b = 0; // the two lanes of ptmp2 and ptmp3
            var starti = j + 2;
            var endi = size;
            var alignedStart = starti + (((resIndex + starti) & 1) == 1 ? Math.Min(1, endi - starti) : 0);
            var alignedEnd = alignedStart + ((endi - alignedStart) / 2 * 2);

            res[j] += a[a0 + j] * t0;
            res[j + 1] += a[a1 + j + 1] * t1;
            res[j + 1] += a[a0 + j + 1] * t0;
            t2 += a[a0 + j + 1] * rhs[j + 1];
            for (var i = starti; i < alignedStart; i++)
            {
                res[i] += (a[a0 + i] * t0) + (a[a1 + i] * t1);
                t2 += a[a0 + i] * rhs[i];
                t3 += a[a1 + i] * rhs[i];
            }

            for (var i = alignedStart; i < alignedEnd; i += 2)
            {
                res[i] = (a[a0 + i] * t0) + ((a[a1 + i] * t1) + res[i]);
                res[i + 1] = (a[a0 + i + 1] * t0) + ((a[a1 + i + 1] * t1) + res[i + 1]);
                p2a = (a[a0 + i] * rhs[i]) + p2a;
                p2b = (a[a0 + i + 1] * rhs[i + 1]) + p2b;
                p3a = (a[a1 + i] * rhs[i]) + p3a;
                p3b = (a[a1 + i + 1] * rhs[i + 1]) + p3b;
            }

            for (var i = alignedEnd; i < endi; i++)
            {
                res[i] += (a[a0 + i] * t0) + (a[a1 + i] * t1);
                t2 += a[a0 + i] * rhs[i];
                t3 += a[a1 + i] * rhs[i];
            }

            res[j] += alpha * (t2 + (p2a + p2b));
            res[j + 1] += alpha * (t3 + (p3a + p3b));
        }

        for (var j = bound; j < size; j++)
        {
            var a0 = origin + (j * stride);
            var t1 = alpha * rhs[j];
            var t2 = 0.0;
            res[j] += a[a0 + j] * t1;
            for (var i = j + 1; i < size; i++)
            {
                res[i] += a[a0 + i] * t1;
                t2 += a[a0 + i] * rhs[i];
            }

            res[j] += alpha * t2;
        }
    }

    /// <summary>
    /// HouseholderSequence(mat, hCoeffs).setLength(n - 1).setShift(1) assigned to mat (evalTo, in place): reflectors
    /// applied on the left from the last, each on the bottom-right corner (applyHouseholderOnTheLeft).
    /// </summary>
    private static void FormQ(double[] mat, int n, double[] hCoeffs)
    {
        var tmp = new double[2 * n];
        for (var c = 0; c < n; c++)
        {
            mat[(c * n) + c] = 1;
            for (var r = 0; r < c; r++)
            {
                mat[(c * n) + r] = 0;
            }
        }

        for (var k = n - 2; k >= 0; k--)
        {
            var corner = n - k - 1;
            var origin = ((k + 1) * n) + k + 1; // corner (0, 0)
            var essential = (k * n) + k + 2; // mat.col(k).tail(corner - 1)
            var tau = hCoeffs[k];
            if (corner == 1)
            {
                mat[origin] *= 1 - tau;
            }
            else if (tau != 0)
            {
                // tmp = essential' * bottom: the row-major GEMV kernel over bottom's columns, depth corner - 1.
                var depth = corner - 1;
                var (alignedStart, alignedSize) = RowMajorGemvSplit(essential, origin + 1, depth);
                for (var c = 0; c < corner; c++)
                {
                    var column = origin + (c * n) + 1;
                    var sum = 0.0;
                    for (var j = 0; j < alignedStart; j++)
                    {
                        sum += mat[column + j] * mat[essential + j];
                    }

                    if (alignedSize > alignedStart)
                    {
                        double lane0 = 0, lane1 = 0;
                        for (var j = alignedStart; j < alignedSize; j += 2)
                        {
                            lane0 = (mat[column + j] * mat[essential + j]) + lane0;
                            lane1 = (mat[column + j + 1] * mat[essential + j + 1]) + lane1;
                        }

                        sum += lane0 + lane1;
                    }

                    for (var j = alignedSize; j < depth; j++)
                    {
                        sum += mat[column + j] * mat[essential + j];
                    }

                    tmp[c] = 0.0 + sum;
                }

                for (var c = 0; c < corner; c++)
                {
                    tmp[c] += mat[origin + (c * n)];
                }

                for (var c = 0; c < corner; c++)
                {
                    mat[origin + (c * n)] -= tau * tmp[c];
                }

                // bottom -= (tau * essential) * tmp, column by column
                var scaled = tmp.AsSpan(n, depth); // tau * essential, one rounding per element as in the product
                for (var r = 0; r < depth; r++)
                {
                    scaled[r] = tau * mat[essential + r];
                }

                for (var c = 0; c < corner; c++)
                {
                    SubtractScaled(mat.AsSpan(origin + (c * n) + 1, depth), tmp[c], scaled);
                }
            }

            for (var r = k + 1; r < n; r++)
            {
                mat[(k * n) + r] = 0;
            }
        }
    }

    /// <summary>
    /// Where general_matrix_vector_product&lt;RowMajor&gt; starts and ends its packets for a right-hand side at
    /// element offset <paramref name="rhs"/> and a first matrix row at <paramref name="lhs"/>: the rhs's first 16-byte
    /// aligned element, then whole packets; nothing vectorised when the first row cannot be aligned within depth.
    /// </summary>
    private static (int AlignedStart, int AlignedSize) RowMajorGemvSplit(int rhs, int lhs, int depth)
    {
        var alignedStart = Math.Min(rhs & 1, depth);
        var lhsAlignmentOffset = Math.Min(lhs & 1, depth);
        if (lhsAlignmentOffset == depth)
        {
            return (0, 0);
        }

        return (alignedStart, alignedStart + ((depth - alignedStart) & ~1));
    }

    /// <summary>computeFromTridiagonal_impl: deflate, QR step on the largest unreduced block, then sort.</summary>
    private static void QrIterations(double[] diag, double[] subdiag, double[] q, int n)
    {
        const double precision = 2 * 2.220446049250313e-16;
        var end = n - 1;
        var start = 0;
        var iterations = 0;
        while (end > 0)
        {
            for (var i = start; i < end; i++)
            {
                if (Math.Abs(subdiag[i]) <= (Math.Abs(diag[i]) + Math.Abs(diag[i + 1])) * precision || Math.Abs(subdiag[i]) <= SmallestNormal)
                {
                    subdiag[i] = 0;
                }
            }

            while (end > 0 && subdiag[end - 1] == 0)
            {
                end--;
            }

            if (end <= 0)
            {
                break;
            }

            iterations++;
            if (iterations > MaxIterations * n)
            {
                throw new InvalidOperationException("The symmetric eigen-decomposition did not converge.");
            }

            start = end - 1;
            while (start > 0 && subdiag[start - 1] != 0)
            {
                start--;
            }

            QrStep(diag, subdiag, start, end, q, n);
        }

        for (var i = 0; i < n - 1; i++)
        {
            var k = i;
            for (var j = i + 1; j < n; j++)
            {
                if (diag[j] < diag[k])
                {
                    k = j;
                }
            }

            if (k > i)
            {
                (diag[i], diag[k]) = (diag[k], diag[i]);
                for (var r = 0; r < n; r++)
                {
                    (q[(i * n) + r], q[(k * n) + r]) = (q[(k * n) + r], q[(i * n) + r]);
                }
            }
        }
    }

    /// <summary>tridiagonal_qr_step: Wilkinson shift, then a chase of Givens rotations, applied to Q on the right.</summary>
    private static void QrStep(double[] diag, double[] subdiag, int start, int end, double[] q, int n)
    {
        var td = (diag[end - 1] - diag[end]) * 0.5;
        var e = subdiag[end - 1];
        var mu = diag[end];
        if (td == 0)
        {
            mu -= Math.Abs(e);
        }
        else
        {
            var e2 = e * e;
            var h = Hypot(td, e);
            mu -= e2 == 0 ? (e / (td + (td > 0 ? 1 : -1))) * (e / h) : e2 / (td + (td > 0 ? h : -h));
        }

        var x = diag[start] - mu;
        var z = subdiag[start];
        for (var k = start; k < end; k++)
        {
            var (c, s) = Givens(x, z);
            var sdk = (s * diag[k]) + (c * subdiag[k]);
            var dkp1 = (s * subdiag[k]) + (c * diag[k + 1]);
            diag[k] = (c * ((c * diag[k]) - (s * subdiag[k]))) - (s * ((c * subdiag[k]) - (s * diag[k + 1])));
            diag[k + 1] = (s * sdk) + (c * dkp1);
            subdiag[k] = (c * sdk) - (s * dkp1);
            if (k > start)
            {
                subdiag[k - 1] = (c * subdiag[k - 1]) - (s * z);
            }

            x = subdiag[k];
            if (k < end - 1)
            {
                z = -s * subdiag[k + 1];
                subdiag[k + 1] = c * subdiag[k + 1];
            }

            // Q = Q G (applyOnTheRight with the transposed rotation (c, -s)): x' = c x + (-s) y, y' = c y - (-s) x.
            Rotate(q.AsSpan(k * n, n), q.AsSpan((k + 1) * n, n), c, -s);
        }
    }

    /// <summary>
    /// x' = c·x + m·y, y' = c·y − m·x element by element (m = −s): each element's products and sum are the scalar
    /// loop's, so packets of elements give the same bits.
    /// </summary>
    private static void Rotate(Span<double> x, Span<double> y, double c, double m)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var vc = new Vector<double>(c);
            var vm = new Vector<double>(m);
            for (var k = 0; k < vx.Length; k++)
            {
                var xk = vx[k];
                var yk = vy[k];
                vx[k] = (vc * xk) + (vm * yk);
                vy[k] = (vc * yk) - (vm * xk);
            }

            i = vx.Length * Vector<double>.Count;
        }

        for (; i < x.Length; i++)
        {
            var xi = x[i];
            var yi = y[i];
            x[i] = (c * xi) + (m * yi);
            y[i] = (c * yi) - (m * xi);
        }
    }

    /// <summary>target[r] += (a·h[r]) + (b·v[r]) element by element (SelfadjointRank2Update.h's column update).</summary>
    private static void AddTwoScaled(Span<double> target, double a, ReadOnlySpan<double> h, double b, ReadOnlySpan<double> v)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var vt = MemoryMarshal.Cast<double, Vector<double>>(target);
            var vh = MemoryMarshal.Cast<double, Vector<double>>(h[..target.Length]);
            var vv = MemoryMarshal.Cast<double, Vector<double>>(v[..target.Length]);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (var k = 0; k < vt.Length; k++)
            {
                vt[k] += (va * vh[k]) + (vb * vv[k]);
            }

            i = vt.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] += (a * h[i]) + (b * v[i]);
        }
    }

    /// <summary>target[r] -= factor · scaled[r] element by element.</summary>
    private static void SubtractScaled(Span<double> target, double factor, ReadOnlySpan<double> scaled)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var vt = MemoryMarshal.Cast<double, Vector<double>>(target);
            var vs = MemoryMarshal.Cast<double, Vector<double>>(scaled[..target.Length]);
            var vf = new Vector<double>(factor);
            for (var k = 0; k < vt.Length; k++)
            {
                vt[k] -= vf * vs[k];
            }

            i = vt.Length * Vector<double>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] -= factor * scaled[i];
        }
    }

    /// <summary>Jacobi.h JacobiRotation::makeGivens (real case).</summary>
    private static (double C, double S) Givens(double p, double q)
    {
        if (q == 0)
        {
            return (p < 0 ? -1 : 1, 0);
        }

        if (p == 0)
        {
            return (0, q < 0 ? 1 : -1);
        }

        if (Math.Abs(p) > Math.Abs(q))
        {
            var t = q / p;
            var u = Math.Sqrt(1 + (t * t));
            if (p < 0)
            {
                u = -u;
            }

            var c = 1 / u;
            return (c, -t * c);
        }
        else
        {
            var t = p / q;
            var u = Math.Sqrt(1 + (t * t));
            if (q < 0)
            {
                u = -u;
            }

            var s = -1 / u;
            return (-t * s, s);
        }
    }

    /// <summary>Eigen's numext::hypot: p·sqrt(1 + (q/p)²) with p the larger magnitude.</summary>
    private static double Hypot(double x, double y)
    {
        var ax = Math.Abs(x);
        var ay = Math.Abs(y);
        double p, qp;
        if (ax > ay)
        {
            p = ax;
            qp = ay / p;
        }
        else
        {
            p = ay;
            qp = ax / p;
        }

        return p == 0 ? 0 : p * Math.Sqrt(1 + (qp * qp));
    }
}
