using System.Globalization;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>Parses C's <c>%a</c> hexadecimal floating point ("-0x1.089e744fa0da3p+9", "0x0p+0"), which round-trips every double.</summary>
public static class HexDouble
{
    public static double Parse(string text)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        if (!body.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is not a %a hexadecimal double.");
        }

        var p = body.IndexOf('p', StringComparison.Ordinal);
        var exponent = int.Parse(body[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = body[2..p];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var lead = ulong.Parse(dot < 0 ? mantissa : mantissa[..dot], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        var fractionBits = fraction.Length == 0 ? 0UL : ulong.Parse(fraction.PadRight(13, '0'), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        double value;
        if (lead == 0)
        {
            // 0x0p+0, or a subnormal 0x0.<bits>p-1022
            value = Math.ScaleB(fractionBits, exponent - 52);
        }
        else
        {
            value = BitConverter.Int64BitsToDouble((long)(((ulong)(exponent + 1023) << 52) | fractionBits));
        }

        return negative ? -value : value;
    }
}
