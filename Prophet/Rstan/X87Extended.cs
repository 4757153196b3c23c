using System.Numerics;

namespace Forecast.Prophet.Rstan;

/// <summary>
/// The x87 80-bit "long double" (64-bit significand, round to nearest even) that R's <c>mean()</c> accumulates in on
/// x86-64 (src/main/summary.c, LDOUBLE). Only what R's mean needs: exact conversion from double and from an integer
/// count, addition, division, rounding back to double. Finite non-zero values are significand × 2^exponent with the
/// significand's top bit set; the exponent range of doubles never approaches the format's limits here.
/// </summary>
internal readonly struct X87Extended
{
    private readonly bool _negative;
    private readonly int _exponent;
    private readonly ulong _significand; // 0 for zero; else bit 63 set

    private X87Extended(bool negative, int exponent, ulong significand)
    {
        _negative = negative;
        _exponent = exponent;
        _significand = significand;
    }

    public bool IsZero => _significand == 0;

    public static X87Extended FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Only finite values are supported.");
        }

        if (value == 0)
        {
            return default;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var biased = (int)((bits >> 52) & 0x7FF);
        var fraction = (ulong)bits & 0xF_FFFF_FFFF_FFFFUL;
        var significand = biased == 0 ? fraction : fraction | (1UL << 52);
        var exponent = (biased == 0 ? 1 : biased) - 1075;
        return Normalized(negative, exponent, significand);
    }

    public static X87Extended FromInteger(long value) =>
        value == 0 ? default : Normalized(value < 0, 0, (ulong)Math.Abs(value));

    public X87Extended Negate() => new(!_negative, _exponent, _significand);

    public static X87Extended operator +(X87Extended a, X87Extended b)
    {
        if (a.IsZero)
        {
            return b.IsZero ? new X87Extended(a._negative && b._negative, 0, 0) : b;
        }

        if (b.IsZero)
        {
            return a;
        }

        // Both as 128-bit integers scaled by 2^(e - 64) with e the larger exponent; the smaller one shifted right
        // with its lost bits folded into bit 0 (sticky), enough guard bits for a correctly rounded result.
        var (large, small) = a._exponent >= b._exponent ? (a, b) : (b, a);
        var shift = large._exponent - small._exponent;
        var largeWide = (UInt128)large._significand << 64;
        var smallWide = (UInt128)small._significand << 64;
        if (shift >= 128)
        {
            smallWide = 1;
        }
        else if (shift > 0)
        {
            var lost = smallWide & ((UInt128.One << shift) - 1);
            smallWide >>= shift;
            if (lost != 0)
            {
                smallWide |= 1;
            }
        }

        var exponent = large._exponent - 64;
        if (large._negative == small._negative)
        {
            // The sum may carry into bit 128: halve first, keeping the dropped bit as sticky.
            var sum = (largeWide >> 1) + (smallWide >> 1) + (largeWide & smallWide & 1);
            var sticky = ((largeWide ^ smallWide) & 1) != 0;
            if (sticky)
            {
                sum |= 1;
            }

            return Round(large._negative, exponent + 1, sum);
        }

        if (largeWide == smallWide)
        {
            return default; // exact cancellation gives +0 in round-to-nearest
        }

        return largeWide > smallWide
            ? Round(large._negative, exponent, largeWide - smallWide)
            : Round(small._negative, exponent, smallWide - largeWide);
    }

    public static X87Extended operator -(X87Extended a, X87Extended b) => a + b.Negate();

    public static X87Extended operator /(X87Extended a, X87Extended b)
    {
        if (b.IsZero)
        {
            throw new DivideByZeroException();
        }

        if (a.IsZero)
        {
            return default;
        }

        // Long division of the significands: 64 bits of quotient from (a << 64) / b, 64 more from the remainder.
        var numerator = (UInt128)a._significand << 64;
        var quotientHigh = numerator / b._significand;
        var remainder = numerator % b._significand;
        var next = remainder << 64;
        var quotientLow = (ulong)(next / b._significand);
        var sticky = next % b._significand != 0;
        var negative = a._negative != b._negative;
        var exponent = a._exponent - b._exponent - 64;

        // quotientHigh is in (2^63, 2^65): keep 64 bits, the next as guard, the rest as sticky.
        ulong significand;
        bool guard;
        if (quotientHigh >> 64 != 0)
        {
            significand = (ulong)(quotientHigh >> 1);
            guard = (quotientHigh & 1) != 0;
            sticky |= quotientLow != 0;
            exponent++;
        }
        else
        {
            significand = (ulong)quotientHigh;
            guard = quotientLow >> 63 != 0;
            sticky |= (quotientLow & ~(1UL << 63)) != 0;
        }

        if (guard && (sticky || (significand & 1) != 0))
        {
            significand++;
            if (significand == 0)
            {
                significand = 1UL << 63;
                exponent++;
            }
        }

        return new X87Extended(negative, exponent, significand);
    }

    /// <summary>(double) of the value, rounded to nearest even (53-bit significand).</summary>
    public double ToDouble()
    {
        if (IsZero)
        {
            return _negative ? -0.0 : 0.0;
        }

        var significand = _significand >> 11;
        var rest = _significand & 0x7FF;
        var exponent = _exponent + 11;
        if (rest > 0x400 || (rest == 0x400 && (significand & 1) != 0))
        {
            significand++;
            if (significand >> 53 != 0)
            {
                significand >>= 1;
                exponent++;
            }
        }

        var value = Math.ScaleB((double)significand, exponent);
        return _negative ? -value : value;
    }

    private static X87Extended Normalized(bool negative, int exponent, ulong significand)
    {
        var leading = BitOperations.LeadingZeroCount(significand);
        return new X87Extended(negative, exponent - leading, significand << leading);
    }

    /// <summary>value × 2^exponent rounded to a 64-bit significand, nearest even (bit 0 of value may be a sticky bit).</summary>
    private static X87Extended Round(bool negative, int exponent, UInt128 value)
    {
        var top = 127 - (int)UInt128.LeadingZeroCount(value);
        if (top <= 63)
        {
            var up = 63 - top;
            return new X87Extended(negative, exponent - up, (ulong)(value << up));
        }

        var shift = top - 63;
        var significand = (ulong)(value >> shift);
        var rest = value & ((UInt128.One << shift) - 1);
        var half = UInt128.One << (shift - 1);
        if (rest > half || (rest == half && (significand & 1) != 0))
        {
            significand++;
            if (significand == 0)
            {
                significand = 1UL << 63;
                exponent++;
            }
        }

        return new X87Extended(negative, exponent + shift, significand);
    }
}
