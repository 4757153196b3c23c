namespace Forecast.Prophet;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by the algorithm of Eigen 3.3.9's SelfAdjointEigenSolver,
/// which Stan's Newton step uses (Eigenvalues/SelfAdjointEigenSolver.h, Eigenvalues/Tridiagonalization.h,
/// Householder/Householder.h, Jacobi/Jacobi.h): only the lower triangle is read; the matrix is scaled by its largest
/// |entry|; Householder tridiagonalisation; Q accumulated from the reflectors; implicit symmetric QR steps with
/// Wilkinson's shift and Givens rotations until every sub-diagonal entry is negligible (2·eps relative); eigenvalues
/// sorted ascending with their vectors. Written with plain loops: the same algorithm and formulas, not Eigen's
/// vectorised summation order, so results agree with Eigen to rounding.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxIterations = 30; // SelfAdjointEigenSolver::m_maxIterations
    private const double SmallestNormal = 2.2250738585072014e-308; // numeric_limits<double>::min()

    /// <summary>
    /// Decomposes the symmetric matrix whose lower triangle is in <paramref name="a"/> (n × n row-major; destroyed)
    /// into ascending eigenvalues and eigenvectors (columns of the row-major <paramref name="eigenvectors"/>).
    /// </summary>
    public static void Decompose(double[] a, int n, double[] eigenvalues, double[] eigenvectors)
    {
        // mat = matrix.triangularView<Lower>(), scaled to [-1, 1].
        var scale = 0.0;
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                scale = Math.Max(scale, Math.Abs(a[(r * n) + c]));
            }
        }

        if (scale == 0)
        {
            scale = 1;
        }

        var mat = eigenvectors; // Eigen works in m_eivec
        Array.Clear(mat, 0, n * n);
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                mat[(r * n) + c] = a[(r * n) + c] / scale;
            }
        }

        var diag = eigenvalues;
        var subdiag = new double[Math.Max(n - 1, 0)];
        var hCoeffs = new double[Math.Max(n - 1, 0)];
        Tridiagonalize(mat, n, hCoeffs);
        for (var i = 0; i < n; i++)
        {
            diag[i] = mat[(i * n) + i];
            if (i < n - 1)
            {
                subdiag[i] = mat[((i + 1) * n) + i];
            }
        }

        FormQ(mat, n, hCoeffs);
        QrIterations(diag, subdiag, mat, n);
        for (var i = 0; i < n; i++)
        {
            diag[i] *= scale;
        }
    }

    /// <summary>Tridiagonalization.h tridiagonalization_inplace: reflectors stored below the sub-diagonal.</summary>
    private static void Tridiagonalize(double[] mat, int n, double[] hCoeffs)
    {
        var v = new double[n];
        var p = new double[n];
        for (var i = 0; i < n - 1; i++)
        {
            var size = n - i - 1;

            // makeHouseholderInPlace on mat.col(i).tail(size)
            var c0 = mat[((i + 1) * n) + i];
            var tailSquaredNorm = 0.0;
            for (var r = i + 2; r < n; r++)
            {
                tailSquaredNorm += mat[(r * n) + i] * mat[(r * n) + i];
            }

            double tau, beta;
            if (tailSquaredNorm <= SmallestNormal)
            {
                tau = 0;
                beta = c0;
                for (var r = i + 2; r < n; r++)
                {
                    mat[(r * n) + i] = 0;
                }
            }
            else
            {
                beta = Math.Sqrt((c0 * c0) + tailSquaredNorm);
                if (c0 >= 0)
                {
                    beta = -beta;
                }

                for (var r = i + 2; r < n; r++)
                {
                    mat[(r * n) + i] /= c0 - beta;
                }

                tau = (beta - c0) / beta;
            }

            // v = [1; essential]
            v[0] = 1;
            for (var r = 1; r < size; r++)
            {
                v[r] = mat[((i + 1 + r) * n) + i];
            }

            // p = A' (tau v), A' the lower-stored bottom-right corner read as symmetric
            for (var r = 0; r < size; r++)
            {
                var sum = 0.0;
                for (var c = 0; c < size; c++)
                {
                    var (row, col) = r >= c ? (r, c) : (c, r);
                    sum += mat[((i + 1 + row) * n) + i + 1 + col] * (tau * v[c]);
                }

                p[r] = sum;
            }

            // p += (tau * -0.5 * (p . v)) v
            var dot = 0.0;
            for (var r = 0; r < size; r++)
            {
                dot += p[r] * v[r];
            }

            var alpha = tau * -0.5 * dot;
            for (var r = 0; r < size; r++)
            {
                p[r] += alpha * v[r];
            }

            // rankUpdate(v, p, -1) on the lower triangle: A -= v p' + p v'
            for (var c = 0; c < size; c++)
            {
                for (var r = c; r < size; r++)
                {
                    mat[((i + 1 + r) * n) + i + 1 + c] += (-p[c] * v[r]) + (-v[c] * p[r]);
                }
            }

            mat[((i + 1) * n) + i] = beta;
            hCoeffs[i] = tau;
        }
    }

    /// <summary>HouseholderSequence(mat, hCoeffs).setLength(n - 1).setShift(1) evaluated in place (evalTo).</summary>
    private static void FormQ(double[] mat, int n, double[] hCoeffs)
    {
        var essential = new double[n];
        var tmp = new double[n];
        for (var i = 0; i < n; i++)
        {
            mat[(i * n) + i] = 1;
            for (var c = i + 1; c < n; c++)
            {
                mat[(i * n) + c] = 0;
            }
        }

        for (var k = n - 2; k >= 0; k--)
        {
            var corner = n - k - 1;
            var origin = k + 1;
            var tau = hCoeffs[k];
            for (var r = 1; r < corner; r++)
            {
                essential[r] = mat[((origin + r) * n) + k];
            }

            // applyHouseholderOnTheLeft(essential, tau) on the corner
            if (corner == 1)
            {
                mat[(origin * n) + origin] *= 1 - tau;
            }
            else if (tau != 0)
            {
                for (var c = 0; c < corner; c++)
                {
                    var sum = 0.0;
                    for (var r = 1; r < corner; r++)
                    {
                        sum += essential[r] * mat[((origin + r) * n) + origin + c];
                    }

                    tmp[c] = sum + mat[(origin * n) + origin + c];
                }

                for (var c = 0; c < corner; c++)
                {
                    mat[(origin * n) + origin + c] -= tau * tmp[c];
                }

                for (var r = 1; r < corner; r++)
                {
                    var factor = tau * essential[r];
                    for (var c = 0; c < corner; c++)
                    {
                        mat[((origin + r) * n) + origin + c] -= factor * tmp[c];
                    }
                }
            }

            for (var r = k + 1; r < n; r++)
            {
                mat[(r * n) + k] = 0;
            }
        }
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
                    (q[(r * n) + i], q[(r * n) + k]) = (q[(r * n) + k], q[(r * n) + i]);
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

            // Q = Q G: columns k, k+1 rotated by the transposed rotation (c, -s).
            for (var r = 0; r < n; r++)
            {
                var xi = q[(r * n) + k];
                var yi = q[(r * n) + k + 1];
                q[(r * n) + k] = (c * xi) - (s * yi);
                q[(r * n) + k + 1] = (s * xi) + (c * yi);
            }
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
        var (p, qp) = ax > ay ? (ax, ay / ax) : (ay, ay == 0 ? 0 : ax / ay);
        return p == 0 ? 0 : p * Math.Sqrt(1 + (qp * qp));
    }
}
