namespace Forecast.Core.Data;

/// <summary>An append-only column of unmanaged values that doubles its array as it fills (no object per row).</summary>
internal sealed class ColumnBuffer<T>(int initialCapacity = 1024) where T : unmanaged
{
    private T[] _items = new T[Math.Max(16, initialCapacity)];

    public int Count { get; private set; }

    public ReadOnlySpan<T> Span => _items.AsSpan(0, Count);

    public void Add(T value)
    {
        if (Count == _items.Length) Array.Resize(ref _items, checked(_items.Length * 2));
        _items[Count++] = value;
    }

    public T this[int index] => _items[index];
}
