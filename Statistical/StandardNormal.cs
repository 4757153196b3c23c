namespace Forecast.Statistical;

/// <summary>The standard normal distribution's quantile function, used for Gaussian prediction intervals.</summary>
public static class StandardNormal
{
    /// <summary>
    /// The p-quantile (R's <c>qnorm(p)</c>), by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988),
    /// the algorithm R itself uses; accurate to about 1e-16 relative.
    /// </summary>
    public static double Quantile(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must be in [0, 1].");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                        + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                        + 133.14166789178437745) * r + 3.387132872796366608)
                   / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                        + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                        + 42.313330701600911252) * r + 1.0);
        }
        double rr = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        double value;
        if (rr <= 5)
        {
            rr -= 1.6;
            value = (((((((rr * 7.7454501427834140764e-4 + 0.0227238449892691845833) * rr + 0.24178072517745061177) * rr
                        + 1.27045825245236838258) * rr + 3.64784832476320460504) * rr + 5.7694972214606914055) * rr
                        + 4.6303378461565452959) * rr + 1.42343711074968357734)
                    / (((((((rr * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * rr + 0.0151986665636164571966) * rr
                        + 0.14810397642748007459) * rr + 0.68976733498510000455) * rr + 1.6763848301838038494) * rr
                        + 2.05319162663775882187) * rr + 1.0);
        }
        else
        {
            rr -= 5;
            value = (((((((rr * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * rr + 0.0012426609473880784386) * rr
                        + 0.026532189526576123093) * rr + 0.29656057182850489123) * rr + 1.7848265399172913358) * rr
                        + 5.4637849111641143699) * rr + 6.6579046435011037772)
                    / (((((((rr * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * rr + 1.8463183175100546818e-5) * rr
                        + 7.868691311456132591e-4) * rr + 0.0148753612908506148525) * rr + 0.13692988092273580531) * rr
                        + 0.59983220655588793769) * rr + 1.0);
        }
        return q < 0 ? -value : value;
    }
}
