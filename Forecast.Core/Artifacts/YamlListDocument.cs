using System.Text;

namespace Forecast.Core.Artifacts;

/// <summary>
/// A run's YAML file whose last key is a list with one entry per series (metrics.yaml <c>per_series</c>, eda.yaml and
/// cleaning.yaml <c>series</c>), written in <see cref="YamlText"/>'s style as a head followed by one text block per
/// entry. The concatenation is exactly what <see cref="YamlText.Serialize"/> writes for the whole document (block list
/// entries are emitted independently of each other), so the entries of several shards can be interleaved by a merge
/// without parsing or re-emitting them.
/// </summary>
public static class YamlListDocument
{
    /// <summary>
    /// The whole file: <paramref name="head"/> (the document with an empty list at <paramref name="listKey"/>, its last
    /// key) and the <paramref name="entries"/> of that list, with the byte length of the head and of each entry.
    /// </summary>
    public static YamlListFile Write(object head, string listKey, IReadOnlyList<object> entries)
    {
        if (entries.Count == 0)
        {
            var empty = Encoding.UTF8.GetBytes(YamlText.Serialize(head));
            return new YamlListFile(empty, empty.Length, []);
        }
        var headBytes = Encoding.UTF8.GetBytes(Head(head, listKey));
        var entryBytes = new byte[entries.Count][];
        Parallel.For(0, entries.Count, i => entryBytes[i] = Encoding.UTF8.GetBytes(Entry(listKey, entries[i])));
        var bytes = new byte[headBytes.Length + entryBytes.Sum(e => (long)e.Length)];
        headBytes.CopyTo(bytes, 0);
        int at = headBytes.Length;
        var lengths = new int[entries.Count];
        for (int i = 0; i < entryBytes.Length; i++)
        {
            entryBytes[i].CopyTo(bytes, at);
            at += lengths[i] = entryBytes[i].Length;
        }
        return new YamlListFile(bytes, headBytes.Length, lengths);
    }

    /// <summary>
    /// The text before the first entry: <paramref name="head"/> is the document with an empty list at
    /// <paramref name="listKey"/> as its last key. With no entries to follow, write <see cref="YamlText.Serialize"/> of
    /// the head instead (an empty list is <c>key: []</c>).
    /// </summary>
    public static string Head(object head, string listKey)
    {
        string text = YamlText.Serialize(head);
        string empty = listKey + ": []\n";
        if (!text.EndsWith(empty, StringComparison.Ordinal))
            throw new ArgumentException($"The document must end with an empty list '{listKey}' (it ends '{text[Math.Max(0, text.Length - 40)..]}').", nameof(head));
        return string.Concat(text.AsSpan(0, text.Length - empty.Length), listKey, ":\n");
    }

    /// <summary>The text block of one entry of the list at <paramref name="listKey"/> ("- …" lines).</summary>
    public static string Entry(string listKey, object entry)
    {
        string text = YamlText.Serialize(new Dictionary<string, object?> { [listKey] = new[] { entry } });
        string key = listKey + ":\n";
        if (!text.StartsWith(key, StringComparison.Ordinal))
            throw new ArgumentException($"An entry of '{listKey}' must be a mapping (it was written as '{text}').", nameof(entry));
        return text[key.Length..];
    }
}

/// <summary>A <see cref="YamlListDocument"/> file: its bytes, the byte length of its head and of each list entry in order.</summary>
public sealed record YamlListFile(byte[] Bytes, int HeadLength, int[] EntryLengths);
