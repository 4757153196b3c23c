using System.Globalization;
using System.Text;

namespace Forecast.Core.Data;

/// <summary>
/// Parses the timestamp forms of the long format into UTC ticks without allocating: dates (2020-01-31, 2020/01/31),
/// datetimes (2020-01-31 13:45[:00[.123]]), ISO 8601 with 'T', 'Z' or an offset (+02:00, -0530, +02: normalised
/// to UTC), and epoch seconds (1700000000, 1700000000.5). Naive datetimes are taken as UTC, as in the seed data.
/// </summary>
public static class TimestampParser
{
    /// <summary>What a message should suggest when a timestamp cannot be parsed.</summary>
    public const string AcceptedForms =
        "use YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS[.fff]], ISO 8601 with Z or an offset (2020-01-31T13:45:00+02:00) or epoch seconds";

    private const int MaxLength = 64;

    public static bool TryParse(ReadOnlySpan<char> text, out long utcTicks)
    {
        utcTicks = 0;
        text = text.Trim();
        if (text.Length is 0 or > MaxLength) return false;
        Span<byte> utf8 = stackalloc byte[MaxLength * 3];
        if (!Encoding.UTF8.TryGetBytes(text, utf8, out int written)) return false;
        return TryParse(utf8[..written], out utcTicks);
    }

    public static bool TryParse(ReadOnlySpan<byte> s, out long utcTicks)
    {
        utcTicks = 0;
        s = s.Trim((byte)' ');
        if (s.Length == 0) return false;
        if (s.Length >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) return TryParseCalendar(s, out utcTicks);
        return TryParseEpochSeconds(s, out utcTicks);
    }

    private static bool TryParseCalendar(ReadOnlySpan<byte> s, out long utcTicks)
    {
        utcTicks = 0;
        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        long ticks = new DateTime(year, month, day).Ticks;
        int pos = 10;
        if (pos == s.Length) { utcTicks = ticks; return true; }

        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return false;
        pos++;
        if (!Digits(s, pos, 2, out int hour) || pos + 2 >= s.Length || s[pos + 2] != ':' || !Digits(s, pos + 3, 2, out int minute)) return false;
        if (hour > 23 || minute > 59) return false;
        pos += 5;
        int second = 0;
        long fraction = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            if (!Digits(s, pos + 1, 2, out second) || second > 59) return false;
            pos += 3;
            if (pos < s.Length && (s[pos] == '.' || s[pos] == ','))
            {
                pos++;
                int start = pos;
                long scale = TimeSpan.TicksPerSecond;
                while (pos < s.Length && IsDigit(s[pos]))
                {
                    // Ticks are 100 ns: digits beyond the seventh are below the resolution and dropped.
                    if (scale > 1) { scale /= 10; fraction += (s[pos] - '0') * scale; }
                    pos++;
                }
                if (pos == start) return false;
            }
        }
        ticks += hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + fraction;

        if (!TryParseOffset(s[pos..], out long offsetTicks)) return false;
        // Local time = UTC + offset, so UTC = local − offset (ISO 8601 §4.2.5.2).
        ticks -= offsetTicks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utcTicks = ticks;
        return true;
    }

    /// <summary>"", "Z", " UTC", "+02:00", "+0200", "+02", "-05:30".</summary>
    private static bool TryParseOffset(ReadOnlySpan<byte> s, out long offsetTicks)
    {
        offsetTicks = 0;
        s = s.TrimStart((byte)' ');
        if (s.Length == 0 || (s.Length == 1 && (s[0] == 'Z' || s[0] == 'z')) || s.SequenceEqual("UTC"u8)) return true;
        if (s[0] != '+' && s[0] != '-') return false;
        int sign = s[0] == '-' ? -1 : 1;
        s = s[1..];
        int hours, minutes = 0;
        if (s.Length == 2) { if (!Digits(s, 0, 2, out hours)) return false; }
        else if (s.Length == 4) { if (!Digits(s, 0, 2, out hours) || !Digits(s, 2, 2, out minutes)) return false; }
        else if (s.Length == 5 && s[2] == ':') { if (!Digits(s, 0, 2, out hours) || !Digits(s, 3, 2, out minutes)) return false; }
        else return false;
        if (hours > 18 || minutes > 59) return false;
        offsetTicks = sign * (hours * TimeSpan.TicksPerHour + minutes * TimeSpan.TicksPerMinute);
        return true;
    }

    /// <summary>Seconds since 1970-01-01T00:00:00Z, optionally negative and with a decimal fraction.</summary>
    private static bool TryParseEpochSeconds(ReadOnlySpan<byte> s, out long utcTicks)
    {
        utcTicks = 0;
        int pos = 0;
        bool negative = s[0] == '-';
        if (negative) pos++;
        int start = pos;
        long seconds = 0;
        while (pos < s.Length && IsDigit(s[pos]))
        {
            if (pos - start >= 12) return false; // beyond year 33000: not an epoch in seconds
            seconds = seconds * 10 + (s[pos] - '0');
            pos++;
        }
        if (pos == start) return false;
        long fraction = 0;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            long scale = TimeSpan.TicksPerSecond;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                if (scale > 1) { scale /= 10; fraction += (s[pos] - '0') * scale; }
                pos++;
            }
        }
        if (pos != s.Length) return false;
        long ticks = seconds * TimeSpan.TicksPerSecond + fraction;
        ticks = DateTime.UnixEpoch.Ticks + (negative ? -ticks : ticks);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utcTicks = ticks;
        return true;
    }

    /// <summary>Epoch seconds as UTC ticks, for numeric timestamp columns (Parquet int64/double).</summary>
    public static bool TryFromEpochSeconds(double seconds, out long utcTicks)
    {
        utcTicks = 0;
        if (!double.IsFinite(seconds)) return false;
        double ticks = DateTime.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utcTicks = (long)Math.Round(ticks);
        return true;
    }

    /// <summary>Formats UTC ticks back for messages: date only at midnight, else ISO 8601 with Z.</summary>
    public static string Format(DateTime utc) =>
        utc.TimeOfDay == TimeSpan.Zero
            ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : utc.ToString(utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (int i = start; i < start + count; i++)
        {
            if (!IsDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
