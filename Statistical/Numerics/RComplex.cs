namespace Forecast.Statistical.Numerics;

/// <summary>Complex division as R's arithmetic does it (complex.c: <c>complex_div</c>, Smith's ratio method).</summary>
internal static class RComplex
{
    public static (double Re, double Im) Divide(double ar, double ai, double br, double bi)
    {
        double abr = Math.Abs(br), abi = Math.Abs(bi);
        if (abr <= abi)
        {
            double ratio = br / bi;
            double den = bi * (1 + ratio * ratio);
            return ((ar * ratio + ai) / den, (ai * ratio - ar) / den);
        }
        else
        {
            double ratio = bi / br;
            double den = br * (1 + ratio * ratio);
            return ((ar + ai * ratio) / den, (ai - ar * ratio) / den);
        }
    }
}
