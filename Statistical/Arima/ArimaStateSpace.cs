namespace Forecast.Statistical.Arima;

/// <summary>
/// The state-space form of an ARIMA model as stats::arima builds it (arima.R: <c>makeARIMA</c>): the ARMA part in
/// Harvey's form with r = max(p, q + 1) states plus d = length(Δ) states for the differencing, the state a, its
/// covariance P and the prior covariance Pn (Gardner et al. 1980's Q0 for the ARMA block, κ = 1e6 for the diffuse
/// differencing block). <see cref="ArimaKalman.Likelihood"/> updates a, P and Pn in place, as R's C code does, so a
/// filtered model forecasts from the end of the sample.
/// </summary>
internal sealed class ArimaStateSpace
{
    private readonly double _kappa;
    private double[]? _q0;
    private double[] _q0Phi = [];
    private double[] _q0Theta = [];

    public ArimaStateSpace(double[] phi, double[] theta, double[] delta, double kappa = 1e6, double[]? q0 = null)
    {
        Delta = delta;
        _kappa = kappa;
        int r = Math.Max(phi.Length, theta.Length + 1);
        R = r;
        int rd = r + delta.Length;
        A = new double[rd];
        P = new double[rd * rd];
        Pn = new double[rd * rd];
        Phi = phi;
        Theta = theta;
        Reset(phi, theta, q0);
    }

    /// <summary>
    /// Sets new coefficients of the same orders and restarts the filter: a = 0, P = 0, Pn = the prior (arima.R:
    /// <c>upARIMA</c>), so one model object serves every likelihood evaluation of a fit.
    /// </summary>
    public void Reset(double[] phi, double[] theta) => Reset(phi, theta, null);

    /// <summary>
    /// <see cref="Reset(double[], double[])"/> with Q0 for these coefficients already computed (<see cref="ArimaKalman.Q0Lanes"/>,
    /// the same bits as <see cref="ArimaKalman.Q0(double[], double[])"/>); null computes it as there.
    /// </summary>
    public void Reset(double[] phi, double[] theta, double[]? q0)
    {
        int p = phi.Length, q = theta.Length, r = R, d = Delta.Length, rd = r + d;
        if (Math.Max(p, q + 1) != r) throw new ArgumentException("The orders changed.");
        Phi = phi;
        // theta padded to r - 1 (makeARIMA: c(theta, rep(0, r - 1 - q))).
        Theta = q < r - 1 ? [.. theta, .. new double[r - 1 - q]] : theta;
        A.AsSpan().Clear();
        P.AsSpan().Clear();
        Pn.AsSpan().Clear();
        if (r > 1)
        {
            // The gradient's and Hessian's steps in a regression coefficient leave (phi, theta) as they were: Q0 is
            // computed again only when they change.
            if (q0 is not null || _q0 is null || !phi.AsSpan().SequenceEqual(_q0Phi) || !Theta.AsSpan().SequenceEqual(_q0Theta))
            {
                _q0 = q0 ?? ArimaKalman.Q0(phi, Theta);
                _q0Phi = phi.AsSpan().ToArray();
                _q0Theta = Theta.AsSpan().ToArray();
            }
            for (int j = 0; j < r; j++) _q0.AsSpan(r * j, r).CopyTo(Pn.AsSpan(rd * j));
        }
        else
        {
            Pn[0] = p > 0 ? 1 / (1 - phi[0] * phi[0]) : 1;
        }
        for (int i = 0; i < d; i++) Pn[(r + i) + rd * (r + i)] = _kappa;
    }

    /// <summary>The AR coefficients of the Q0 held (null when none is), for callers that compute Q0 ahead as <see cref="Reset(double[], double[])"/> would.</summary>
    public double[]? Q0Phi => _q0 is null ? null : _q0Phi;

    /// <summary>The padded MA coefficients of the Q0 held.</summary>
    public double[] Q0Theta => _q0Theta;

    public double[] Phi { get; private set; }

    /// <summary>MA coefficients padded with zeros to r − 1.</summary>
    public double[] Theta { get; private set; }

    public double[] Delta { get; }

    public int R { get; }

    public int Dimension => R + Delta.Length;

    /// <summary>State (column-major storage for the matrices below, as R's).</summary>
    public double[] A { get; }

    public double[] P { get; }

    public double[] Pn { get; }
}
