namespace Forecast.Prophet;

/// <summary>
/// The working arrays of one fit, kept per thread between fits. A fit allocates a few hundred KB of scratch (the
/// objective's T-length arrays, the Gauss-Newton columns, the segmented design, Gram matrices); fresh on every fit,
/// they land on pages the process has not touched since the last collection, and the page faults cost more than the
/// arithmetic on short series. Inside <see cref="Scope"/> a <see cref="Rent(int)"/> hands out an array of exactly
/// the asked length, cleared as <c>new double[n]</c> would be (so the arithmetic and its bits are those of a fresh
/// array), and every array rented in the scope is free again when it ends. Outside a scope (an objective built by a
/// caller directly) <see cref="Rent(int)"/> is <c>new double[n]</c>. Arrays never cross threads and never outlive
/// the fit's scratch: nothing rented may be kept by a fitted model.
/// </summary>
internal static class FitBuffers
{
    // Kept per thread at most this many doubles (8 MiB); a larger fit's arrays are dropped at the end of its scope.
    private const long MaxKeptDoubles = 1L << 20;

    [ThreadStatic]
    private static List<double[]>? t_arrays;

    // The lengths of t_arrays, in the same order: a rent scans these few contiguous ints, not the arrays' headers
    // scattered over the heap (out of the cache when the thread's last fit was a while ago).
    [ThreadStatic]
    private static List<int>? t_lengths;

    [ThreadStatic]
    private static int t_inUse; // arrays t_arrays[0 .. t_inUse) are rented in the current scope

    [ThreadStatic]
    private static bool t_active;

    /// <summary>Starts the scope of one fit on this thread; a fit nested in another one's scope allocates fresh.</summary>
    public static Scope Begin()
    {
        if (t_active)
        {
            return default;
        }

        t_active = true;
        t_arrays ??= [];
        t_lengths ??= [];
        return new Scope(owner: true);
    }

    /// <summary>An array of <paramref name="length"/> zeros: a kept one inside a scope, else a new one.</summary>
    public static double[] Rent(int length)
    {
        if (!t_active || length == 0)
        {
            return new double[length];
        }

        var arrays = t_arrays!;
        var lengths = t_lengths!;
        var inUse = t_inUse;
        var i = lengths.IndexOf(length, inUse);
        if (i < 0)
        {
            arrays.Add(new double[length]);
            lengths.Add(length);
            i = arrays.Count - 1;
        }
        else
        {
            Array.Clear(arrays[i]);
        }

        var array = arrays[i];
        (arrays[i], arrays[inUse]) = (arrays[inUse], array);
        (lengths[i], lengths[inUse]) = (lengths[inUse], length);
        t_inUse = inUse + 1;
        return array;
    }

    private static void End()
    {
        t_active = false;
        t_inUse = 0;
        long kept = 0;
        foreach (var length in t_lengths!)
        {
            kept += length;
        }

        if (kept > MaxKeptDoubles)
        {
            t_arrays!.Clear();
            t_lengths!.Clear();
        }
    }

    /// <summary>Ends the scope that <see cref="Begin"/> started (a nested, non-owning scope ends nothing).</summary>
    public readonly struct Scope(bool owner) : IDisposable
    {
        public void Dispose()
        {
            if (owner)
            {
                End();
            }
        }
    }
}
