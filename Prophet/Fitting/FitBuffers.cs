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
        for (var i = t_inUse; i < arrays.Count; i++)
        {
            if (arrays[i].Length == length)
            {
                var array = arrays[i];
                (arrays[i], arrays[t_inUse]) = (arrays[t_inUse], array);
                t_inUse++;
                Array.Clear(array);
                return array;
            }
        }

        var fresh = new double[length];
        arrays.Add(fresh);
        (arrays[^1], arrays[t_inUse]) = (arrays[t_inUse], fresh);
        t_inUse++;
        return fresh;
    }

    private static void End()
    {
        t_active = false;
        t_inUse = 0;
        long kept = 0;
        foreach (var array in t_arrays!)
        {
            kept += array.Length;
        }

        if (kept > MaxKeptDoubles)
        {
            t_arrays.Clear();
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
