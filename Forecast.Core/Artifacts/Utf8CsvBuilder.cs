using System.Buffers;
using System.Globalization;
using System.Text;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Appends CSV fields as UTF-8 straight into a growing buffer: numbers and timestamps are formatted into the buffer
/// (IUtf8SpanFormattable) without a string per value, which is most of the cost of writing large forecast tables.
/// </summary>
internal sealed class Utf8CsvBuilder(int initialCapacity = 1 << 16)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(initialCapacity);
    private bool _lineStarted;

    public void Text(string value)
    {
        Separator();
        bool quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0; // RFC 4180
        if (!quote)
        {
            Raw(value);
            return;
        }
        Raw("\"");
        Raw(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        Raw("\"");
    }

    /// <summary>The shortest text that round-trips (as double.ToString()); NaN is an empty field.</summary>
    public void Number(double value)
    {
        Separator();
        if (double.IsNaN(value)) return;
        Format(value, default);
    }

    public void Integer(long value)
    {
        Separator();
        Format(value, default);
    }

    public void Time(DateTime value, string format)
    {
        Separator();
        Format(value, format);
    }

    public void EndLine()
    {
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _lineStarted = false;
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Separator()
    {
        if (_lineStarted)
        {
            _buffer.GetSpan(1)[0] = (byte)',';
            _buffer.Advance(1);
        }
        _lineStarted = true;
    }

    private void Raw(string text)
    {
        int count = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, _buffer.GetSpan(count));
        _buffer.Advance(count);
    }

    private void Format<T>(T value, ReadOnlySpan<char> format) where T : IUtf8SpanFormattable
    {
        var span = _buffer.GetSpan(64);
        if (!value.TryFormat(span, out int written, format, CultureInfo.InvariantCulture))
        {
            span = _buffer.GetSpan(1024);
            if (!value.TryFormat(span, out written, format, CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"Cannot format {value} in 1024 bytes.");
        }
        _buffer.Advance(written);
    }
}
