namespace Forecast.Fuzz;

/// <summary>
/// Byte-level mutations in the manner of AFL's havoc stage and libFuzzer's mutators: bit flips, interesting bytes,
/// deletions, duplications, random insertions, splices of another corpus input, truncation, and dictionary tokens
/// of the target's format; one to four stacked per input. Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class Mutator(Random random, IReadOnlyList<byte[]> dictionary, int maxLength = 64 * 1024)
{
    private static readonly byte[] Interesting = [0, 1, 0x7f, 0x80, 0xff, (byte)'"', (byte)'[', (byte)'{', (byte)':', (byte)',', (byte)'\n', (byte)'\t', (byte)'-', (byte)'.', (byte)'e'];

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds; r++) MutateOnce(data, corpus);
        if (data.Count > maxLength) data.RemoveRange(maxLength, data.Count - maxLength);
        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        switch (random.Next(9))
        {
            case 0 when data.Count > 0: // flip one bit
                int at = random.Next(data.Count);
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0: // an interesting byte
                data[random.Next(data.Count)] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2 when data.Count > 1: // delete a range
                int start = random.Next(data.Count);
                data.RemoveRange(start, Math.Min(data.Count - start, 1 + random.Next(Math.Min(64, data.Count))));
                break;
            case 3 when data.Count > 0: // duplicate a range in place
                int from = random.Next(data.Count);
                int length = Math.Min(data.Count - from, 1 + random.Next(64));
                data.InsertRange(from, data.GetRange(from, length));
                break;
            case 4: // random bytes
                var bytes = new byte[1 + random.Next(8)];
                random.NextBytes(bytes);
                data.InsertRange(random.Next(data.Count + 1), bytes);
                break;
            case 5 when corpus.Count > 0: // splice: our head, another input's tail
                var other = corpus[random.Next(corpus.Count)];
                int cut = random.Next(data.Count + 1);
                int otherCut = random.Next(other.Length + 1);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.AsSpan(otherCut).ToArray());
                break;
            case 6 when data.Count > 0: // truncate
                int keep = random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 7 when dictionary.Count > 0: // insert a token
                data.InsertRange(random.Next(data.Count + 1), dictionary[random.Next(dictionary.Count)]);
                break;
            case 8 when dictionary.Count > 0 && data.Count > 0: // overwrite with a token
                var token = dictionary[random.Next(dictionary.Count)];
                int place = random.Next(data.Count);
                for (int i = 0; i < token.Length && place + i < data.Count; i++) data[place + i] = token[i];
                break;
            default:
                data.Add(Interesting[random.Next(Interesting.Length)]);
                break;
        }
    }
}
