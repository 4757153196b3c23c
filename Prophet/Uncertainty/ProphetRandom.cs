namespace Forecast.Prophet;

/// <summary>
/// A small seedable generator (xoshiro256**, seeded through SplitMix64) with the distributions prophet's interval
/// simulation draws from: uniform, normal, Laplace and Poisson (spec §12a). Each simulated path gets its own stream
/// (<see cref="ForPath"/>), so results do not depend on how paths are scheduled.
/// </summary>
public sealed class ProphetRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public ProphetRandom(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <summary>The stream of simulated path <paramref name="path"/> under a master seed.</summary>
    public static ProphetRandom ForPath(ulong seed, int path) => new(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(path + 1)));

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        var factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * factor;
        return u * factor;
    }

    /// <summary>Laplace(0, scale) by inversion (numpy laplace / extraDistr rlaplace have the same law).</summary>
    public double NextLaplace(double scale)
    {
        var u = NextDouble() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1.0 - (2.0 * Math.Abs(u)));
    }

    /// <summary>Poisson(mean): multiplication method for small means, PTRS (Hörmann 1993) otherwise.</summary>
    public int NextPoisson(double mean)
    {
        if (!(mean > 0))
        {
            return 0;
        }

        if (mean < 30)
        {
            var limit = Math.Exp(-mean);
            var count = 0;
            var product = NextDouble();
            while (product > limit)
            {
                count++;
                product *= NextDouble();
            }

            return count;
        }

        var slam = Math.Sqrt(mean);
        var loglam = Math.Log(mean);
        var b = 0.931 + (2.53 * slam);
        var a = -0.059 + (0.02483 * b);
        var invalpha = 1.1239 + (1.1328 / (b - 3.4));
        var vr = 0.9277 - (3.6224 / (b - 2));
        while (true)
        {
            var u = NextDouble() - 0.5;
            var v = NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((((2 * a) / us) + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (int)k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            if (Math.Log(v) + Math.Log(invalpha) - Math.Log((a / (us * us)) + b) <= -mean + (k * loglam) - LogFactorial(k))
            {
                return (int)k;
            }
        }
    }

    private static double LogFactorial(double k)
    {
        // Stirling series; exact enough for k >= 10, direct sum below.
        if (k < 10)
        {
            var sum = 0.0;
            for (var i = 2; i <= (int)k; i++)
            {
                sum += Math.Log(i);
            }

            return sum;
        }

        return ((k + 0.5) * Math.Log(k)) - k + (0.5 * Math.Log(2 * Math.PI)) + (1.0 / (12 * k)) - (1.0 / (360 * k * k * k));
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
