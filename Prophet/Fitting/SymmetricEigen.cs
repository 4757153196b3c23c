namespace Forecast.Prophet;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations (what Stan's Newton step needs
/// from Eigen's SelfAdjointEigenSolver; dimensions here are 3 + S + K, well under a few hundred).
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>Decomposes <paramref name="a"/> (n × n row-major, destroyed) into eigenvalues and column eigenvectors.</summary>
    public static void Decompose(double[] a, int n, double[] eigenvalues, double[] eigenvectors)
    {
        Array.Clear(eigenvectors);
        for (var i = 0; i < n; i++)
        {
            eigenvectors[(i * n) + i] = 1.0;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            var offDiagonal = 0.0;
            var diagonal = 0.0;
            for (var p = 0; p < n; p++)
            {
                diagonal += a[(p * n) + p] * a[(p * n) + p];
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[(p * n) + q] * a[(p * n) + q];
                }
            }

            if (offDiagonal <= 1e-30 * Math.Max(diagonal, 1e-300))
            {
                break;
            }

            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[(p * n) + q];
                    if (apq == 0)
                    {
                        continue;
                    }

                    var app = a[(p * n) + p];
                    var aqq = a[(q * n) + q];
                    var theta = (aqq - app) / (2.0 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1.0));
                    if (theta == 0)
                    {
                        t = 1.0;
                    }

                    var c = 1.0 / Math.Sqrt((t * t) + 1.0);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[(k * n) + p];
                        var akq = a[(k * n) + q];
                        a[(k * n) + p] = (c * akp) - (s * akq);
                        a[(k * n) + q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[(p * n) + k];
                        var aqk = a[(q * n) + k];
                        a[(p * n) + k] = (c * apk) - (s * aqk);
                        a[(q * n) + k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = eigenvectors[(k * n) + p];
                        var vkq = eigenvectors[(k * n) + q];
                        eigenvectors[(k * n) + p] = (c * vkp) - (s * vkq);
                        eigenvectors[(k * n) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            eigenvalues[i] = a[(i * n) + i];
        }
    }
}
