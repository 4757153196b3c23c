namespace Forecast.Prophet.Rstan;

/// <summary>
/// The limited-memory inverse-Hessian approximation (stan/optimization/lbfgs_update.hpp <c>LBFGSUpdate</c>): a
/// circular buffer of (1/s'y, y, s) and the two-loop recursion with initial scaling gamma = s'y / y'y.
/// </summary>
internal sealed class LbfgsHistory
{
    private readonly double[][] _s;
    private readonly double[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alphas;
    private int _start;
    private int _count;
    private double _gamma = 1.0;

    public LbfgsHistory(int capacity, int dimension)
    {
        _s = new double[capacity][];
        _y = new double[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _s[i] = new double[dimension];
            _y[i] = new double[dimension];
        }

        _rho = new double[capacity];
        _alphas = new double[capacity];
    }

    /// <summary>Adds an update; on reset clears the history and returns y'y/s'y (the initial Hessian scale).</summary>
    public double Update(ReadOnlySpan<double> yk, ReadOnlySpan<double> sk, bool reset)
    {
        var skyk = EigenKernels.Dot(yk, sk);
        var yy = EigenKernels.Dot(yk, yk);
        var b0 = 1.0;
        if (reset)
        {
            b0 = yy / skyk;
            _count = 0;
            _start = 0;
        }

        _gamma = skyk / yy;
        var capacity = _rho.Length;
        int slot;
        if (_count < capacity)
        {
            slot = (_start + _count) % capacity;
            _count++;
        }
        else
        {
            slot = _start;
            _start = (_start + 1) % capacity;
        }

        _rho[slot] = 1.0 / skyk;
        yk.CopyTo(_y[slot]);
        sk.CopyTo(_s[slot]);
        return b0;
    }

    /// <summary>pk = -H·gk by the two-loop recursion (newest to oldest, scale, oldest to newest).</summary>
    public void SearchDirection(Span<double> pk, ReadOnlySpan<double> gk)
    {
        var capacity = _rho.Length;
        for (var i = 0; i < pk.Length; i++)
        {
            pk[i] = -gk[i];
        }

        for (var back = _count - 1; back >= 0; back--)
        {
            var slot = (_start + back) % capacity;
            var alpha = _rho[slot] * EigenKernels.Dot(_s[slot], pk);
            var y = _y[slot];
            for (var i = 0; i < pk.Length; i++)
            {
                pk[i] -= alpha * y[i];
            }

            _alphas[back] = alpha;
        }

        for (var i = 0; i < pk.Length; i++)
        {
            pk[i] *= _gamma;
        }

        for (var forward = 0; forward < _count; forward++)
        {
            var slot = (_start + forward) % capacity;
            var beta = _rho[slot] * EigenKernels.Dot(_y[slot], pk);
            var coefficient = _alphas[forward] - beta;
            var s = _s[slot];
            for (var i = 0; i < pk.Length; i++)
            {
                pk[i] += coefficient * s[i];
            }
        }
    }
}
