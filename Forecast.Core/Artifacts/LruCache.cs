namespace Forecast.Core.Artifacts;

/// <summary>A bounded map that forgets the least recently used entry first; thread-safe (one lock, O(1) per call).</summary>
internal sealed class LruCache<TValue>(int capacity) where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> _nodes = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> _order = new();

    public TValue? Get(string key)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(key, out var node)) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    public void Set(string key, TValue value)
    {
        lock (_gate)
        {
            if (_nodes.Remove(key, out var old)) _order.Remove(old);
            _nodes[key] = _order.AddFirst((key, value));
            while (_order.Count > capacity)
            {
                _nodes.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
        }
    }
}
