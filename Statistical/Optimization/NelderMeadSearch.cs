using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Optimization;

/// <summary>
/// <see cref="NelderMead.Minimize"/> turned inside out: the search asks for one value at a time (<see cref="Point"/>,
/// then <see cref="Report"/>), so that a caller can evaluate the points of several independent searches together —
/// AutoEts runs the recursions of several forms in one loop, whose chains of dependent operations the processor
/// overlaps. The steps, hence the result, are those of <see cref="NelderMead.Minimize"/> (R's <c>nmmin</c>): each
/// <see cref="Next"/> resumes nmmin where it needed its last value and runs it to the next point it needs.
/// </summary>
internal sealed class NelderMeadSearch
{
    /// <summary>optim.c: <c>big</c>, what a non-finite function value is replaced by.</summary>
    private const double Big = 1.0e+35;

    /// <summary>Where nmmin waits for a value.</summary>
    private enum Stage
    {
        Begin,
        Start,
        StartOnly,
        Vertex,
        Reflection,
        Expansion,
        Contraction,
        Done,
    }

    private readonly double[] _point;
    private readonly double _abstol, _reltol, _alpha, _beta, _gamma;
    private readonly int _maxit, _n;

    // nmmin's P, by vertices: vertex j's coordinates at [j·n, j·n + n), its value in _values[j]; the centroid apart.
    // (nmmin keeps P by coordinates; stored by vertices the centroid's sums over the vertices run for four coordinates
    // at a time in vector lanes, each lane adding in nmmin's order — the same values.)
    private readonly double[] _vertices, _values, _centroid;
    private Stage _stage;
    private double _reported;
    private int _funcount, _fail, _l, _h, _vertex;
    private double _convtol, _oldsize, _vl, _vh, _vr;
    private bool _calcvert;

    // How often a reflection was followed by the expansion, the contraction towards it, and the one towards the
    // highest vertex (for Speculate's order only).
    private readonly int[] _outcomes = new int[3];

    public NelderMeadSearch(ReadOnlySpan<double> start, double abstol, double reltol, double alpha = 1.0, double beta = 0.5,
        double gamma = 2.0, int maxit = 500)
    {
        _n = start.Length;
        _point = start.ToArray();
        (_abstol, _reltol, _alpha, _beta, _gamma, _maxit) = (abstol, reltol, alpha, beta, gamma, maxit);
        _vertices = new double[(_n + 1) * _n];
        _values = new double[_n + 1];
        _centroid = new double[_n];
    }

    /// <summary>The point whose value the search needs next (valid after <see cref="Next"/> returned true; not to be changed).</summary>
    public ReadOnlySpan<double> Point => _point;

    /// <summary>The result once <see cref="Next"/> returned false; null when the objective is not finite at the start.</summary>
    public OptimizationResult? Result { get; private set; }

    /// <summary>Advances to the next point to evaluate; false when the search is over.</summary>
    public bool Next()
    {
        switch (_stage)
        {
            case Stage.Begin:
                _stage = _maxit <= 0 ? Stage.StartOnly : Stage.Start;
                return true;
            case Stage.StartOnly:
                Result = new OptimizationResult((double[])_point.Clone(), _reported, 0, 0);
                _stage = Stage.Done;
                return false;
            case Stage.Start:
                return Started();
            case Stage.Vertex:
                _values[_vertex] = Reported();
                return Vertices(_vertex + 1);
            case Stage.Reflection:
                return Reflected();
            case Stage.Expansion:
                return Expanded();
            case Stage.Contraction:
                return Contracted();
            default:
                return false;
        }
    }

    /// <summary>The objective's value at <see cref="Point"/>.</summary>
    public void Report(double value) => _reported = value;

    /// <summary>
    /// While <see cref="Point"/> is a reflection, the points nmmin may ask for after it, computed as it will compute
    /// them: the expansion (if the reflection is the new lowest), the contraction towards the reflection (if it is
    /// below the highest vertex, which it then replaces) and the one towards the highest vertex (otherwise) — the
    /// likeliest first, by how often each followed this search's reflections so far, as many as
    /// <paramref name="points"/> holds (at most three). A caller with idle vector lanes evaluates them with the
    /// reflection. Returns how many were written; 0 at any other point.
    /// </summary>
    public int Speculate(Span<double[]> points)
    {
        if (_stage != Stage.Reflection) return 0;
        int n = _n, hi = (_h - 1) * n;
        double gamma = _gamma, beta = _beta;
        var bvec = _point;
        var centroid = _centroid;
        var vertices = _vertices;
        // The outcomes by decreasing count (ties in their order).
        Span<int> order = [0, 1, 2];
        for (int i = 1; i < 3; i++)
            for (int j = i; j > 0 && _outcomes[order[j]] > _outcomes[order[j - 1]]; j--) (order[j], order[j - 1]) = (order[j - 1], order[j]);
        int count = Math.Min(points.Length, 3);
        for (int k = 0; k < count; k++)
        {
            var point = points[k];
            switch (order[k])
            {
                case 0:
                    for (int i = 0; i < n; i++) point[i] = gamma * bvec[i] + (1 - gamma) * centroid[i];
                    break;
                case 1:
                    for (int i = 0; i < n; i++) point[i] = (1 - beta) * bvec[i] + beta * centroid[i];
                    break;
                default:
                    for (int i = 0; i < n; i++) point[i] = (1 - beta) * vertices[hi + i] + beta * centroid[i];
                    break;
            }
        }
        return count;
    }

    /// <summary>
    /// While <see cref="Point"/> is a vertex of the simplex whose values nmmin computes one by one (the start's, or after
    /// a shrink), the vertices it will ask for after it, in its order, into <paramref name="points"/> (each
    /// <see cref="Point"/>'s length); returns how many (at most <paramref name="points"/>' length), 0 at any other point.
    /// Unlike <see cref="Speculate(Span{double[]})"/>'s points these are certain: nmmin asks for every one of them.
    /// </summary>
    public int VerticesAhead(Span<double[]> points)
    {
        if (_stage != Stage.Vertex) return 0;
        int count = 0;
        for (int j = _vertex + 1; j <= _n && count < points.Length; j++)
        {
            if (j + 1 == _l) continue;
            Array.Copy(_vertices, j * _n, points[count++], 0, _n);
        }
        return count;
    }

    /// <summary>The value reported, counted, a non-finite one replaced by <see cref="Big"/>.</summary>
    private double Reported()
    {
        double value = _reported;
        if (!double.IsFinite(value)) value = Big;
        _funcount++;
        return value;
    }

    /// <summary>The start's value: the initial simplex around it.</summary>
    private bool Started()
    {
        int n = _n;
        var bvec = _point;
        double value = _reported;
        if (!double.IsFinite(value))
        {
            _stage = Stage.Done;
            return false;
        }
        _funcount = 1;
        _convtol = _reltol * (Math.Abs(value) + _reltol);
        _values[0] = value;
        bvec.CopyTo(_vertices, 0);

        _l = 1;
        double size = 0.0;
        double step = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (0.1 * Math.Abs(bvec[i]) > step) step = 0.1 * Math.Abs(bvec[i]);
        }
        if (step == 0.0) step = 0.1;
        var vertices = _vertices;
        for (int j = 2; j <= n + 1; j++)
        {
            bvec.CopyTo(vertices, (j - 1) * n);
            double trystep = step;
            while (vertices[(j - 1) * n + j - 2] == bvec[j - 2])
            {
                vertices[(j - 1) * n + j - 2] = bvec[j - 2] + trystep;
                trystep *= 10;
            }
            size += trystep;
        }
        _oldsize = size;
        _calcvert = true;
        return Iteration();
    }

    /// <summary>The top of nmmin's loop: the vertices' values where a shrink (or the start) left them unknown.</summary>
    private bool Iteration() => _calcvert ? Vertices(0) : Reflect();

    /// <summary>Asks for the value of the next vertex from <paramref name="j"/> on (all but the lowest).</summary>
    private bool Vertices(int j)
    {
        for (; j <= _n; j++)
        {
            if (j + 1 != _l)
            {
                Array.Copy(_vertices, j * _n, _point, 0, _n);
                _vertex = j;
                _stage = Stage.Vertex;
                return true;
            }
        }
        _calcvert = false;
        return Reflect();
    }

    /// <summary>The lowest and highest vertices, the convergence test, then the reflection's point.</summary>
    private bool Reflect()
    {
        int n = _n, n1 = n + 1, l = _l;
        var values = _values;
        double vl = values[l - 1];
        double vh = vl;
        int h = l;
        for (int j = 1; j <= n1; j++)
        {
            if (j != l)
            {
                double value = values[j - 1];
                if (value < vl) { l = j; vl = value; }
                if (value > vh) { h = j; vh = value; }
            }
        }
        (_l, _h, _vl, _vh) = (l, h, vl, vh);

        if (vh <= vl + _convtol || vl <= _abstol) return Finish();

        var centroid = _centroid;
        var vertices = _vertices;
        var bvec = _point;
        Centroid(vertices, n, h - 1, centroid);
        int hi = (h - 1) * n;
        double alpha = _alpha;
        for (int i = 0; i < n; i++)
            bvec[i] = (1.0 + alpha) * centroid[i] - alpha * vertices[hi + i];
        _stage = Stage.Reflection;
        return true;
    }

    /// <summary>The reflection's value: try the expansion beyond it, or a contraction.</summary>
    private bool Reflected()
    {
        int n = _n, hi = (_h - 1) * n;
        double vr = _vr = Reported();
        var bvec = _point;
        var centroid = _centroid;
        _outcomes[vr < _vl ? 0 : vr < _vh ? 1 : 2]++;
        if (vr < _vl)
        {
            double gamma = _gamma;
            for (int i = 0; i < n; i++)
            {
                double value = gamma * bvec[i] + (1 - gamma) * centroid[i];
                centroid[i] = bvec[i];
                bvec[i] = value;
            }
            _stage = Stage.Expansion;
            return true;
        }
        if (vr < _vh)
        {
            bvec.CopyTo(_vertices, hi);
            _values[_h - 1] = vr;
        }
        double beta = _beta;
        var vertices = _vertices;
        for (int i = 0; i < n; i++)
            bvec[i] = (1 - beta) * vertices[hi + i] + beta * centroid[i];
        _stage = Stage.Contraction;
        return true;
    }

    /// <summary>The expansion's value: the better of it and the reflection replaces the highest vertex.</summary>
    private bool Expanded()
    {
        double value = Reported();
        int hi = (_h - 1) * _n;
        if (value < _vr)
        {
            _point.CopyTo(_vertices, hi);
            _values[_h - 1] = value;
        }
        else
        {
            _centroid.CopyTo(_vertices, hi); // the centroid's place holds the reflection
            _values[_h - 1] = _vr;
        }
        return Continue();
    }

    /// <summary>The contraction's value: it replaces the highest vertex if lower, else the simplex shrinks.</summary>
    private bool Contracted()
    {
        double value = Reported();
        int n = _n, h = _h, hi = (h - 1) * n;
        if (value < _values[h - 1])
        {
            _point.CopyTo(_vertices, hi);
            _values[h - 1] = value;
        }
        else if (_vr >= _vh)
        {
            // Shrink towards the lowest vertex.
            _calcvert = true;
            double size = 0.0;
            double beta = _beta;
            var vertices = _vertices;
            int l = _l, li = (l - 1) * n;
            for (int j = 0; j <= n; j++)
            {
                if (j + 1 != l)
                {
                    int ji = j * n;
                    for (int i = 0; i < n; i++)
                    {
                        vertices[ji + i] = beta * (vertices[ji + i] - vertices[li + i]) + vertices[li + i];
                        size += Math.Abs(vertices[ji + i] - vertices[li + i]);
                    }
                }
            }
            if (size < _oldsize)
            {
                _oldsize = size;
            }
            else
            {
                _fail = 10;
                return Finish();
            }
        }
        return Continue();
    }

    /// <summary>nmmin's loop condition.</summary>
    private bool Continue() => _funcount <= _maxit ? Iteration() : Finish();

    private bool Finish()
    {
        var x = new double[_n];
        Array.Copy(_vertices, (_l - 1) * _n, x, 0, _n);
        if (_funcount > _maxit) _fail = 1;
        Result = new OptimizationResult(x, _values[_l - 1], _funcount, _fail);
        _stage = Stage.Done;
        return false;
    }

    /// <summary>
    /// nmmin's centroid of the vertices but the highest: per coordinate −p[h] + p[0] + … + p[n] in that order, divided by
    /// n; four coordinates at a time in vector lanes, each lane the scalar sum's operations.
    /// </summary>
    private static void Centroid(double[] vertices, int n, int h, double[] centroid)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var count = Vector256.Create((double)n);
            var sign = Vector256.Create(-0.0); // −x exactly (a sign flip, as the scalar negation)
            for (; i + 4 <= n; i += 4)
            {
                var temp = Vector256.Create(vertices.AsSpan(h * n + i, 4)) ^ sign;
                for (int j = 0; j <= n; j++) temp += Vector256.Create(vertices.AsSpan(j * n + i, 4));
                (temp / count).CopyTo(centroid.AsSpan(i, 4));
            }
        }
        for (; i < n; i++)
        {
            double temp = -vertices[h * n + i];
            for (int j = 0; j <= n; j++) temp += vertices[j * n + i];
            centroid[i] = temp / n;
        }
    }
}
