using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// The k largest logits of each row with their token ids, sorted descending, one token left out, for
/// <see cref="TokenSampler"/>'s top-k draw: the same values as <c>torch.topk(k)</c> of the scores after the EOS token is
/// masked to −∞; among equal values inside the k, the earlier token first (torch leaves that order unspecified). One pass per row with a running k-th value (16 logits compared with it at a time; a logit enters the
/// sorted candidates only when it beats it), instead of libtorch's clone of the scores, its top-k and its tie count
/// over the whole (rows × vocabulary) scores: at 120 decoder rows × 4 096 tokens those ran single-threaded on the
/// calling thread at every step of a generation, while the helper thread waited. The 16-logit blocks are one 512-bit
/// vector where the CPU has them, else two 256-bit halves (<see cref="ILogitBlocks"/>; chosen once per call).
/// </summary>
internal static class TopCandidates
{
    /// <summary>Whether 512-bit vectors run in hardware (else .NET would emulate them: two 256-bit halves are used).</summary>
    private static readonly bool WideVectors = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// The candidates of every row of <paramref name="logits"/> (N, V) float32, or false — nothing selected — where the
    /// reference's whole-vocabulary path must decide: a row with NaN, a k-th value of −∞, or ties with the k-th value
    /// that make more than k tokens at least as large (HF keeps all of them), or a CPU with neither AVX-512 nor AVX2 (the
    /// 16-logit blocks would run in software, slower than libtorch's top-k). Among equal values within the k the earlier
    /// token comes first.
    /// </summary>
    public static unsafe bool TrySelect(Tensor logits, long excluded, int k, out Tensor values, out Tensor indices)
    {
        (values, indices) = (null!, null!);
        if (!WideVectors && !Vector256.IsHardwareAccelerated)
            return false;
        if (logits.dtype != ScalarType.Float32 || logits.dim() != 2 || !logits.is_contiguous() || logits.device_type != TorchSharp.DeviceType.CPU)
            return false;
        var (rows, vocabulary) = (logits.shape[0], (int)logits.shape[1]);
        if (k < 1 || k >= vocabulary || excluded < 0 || excluded >= vocabulary)
            return false;
        var topValues = new float[rows * k];
        var topIds = new long[rows * k];
        fixed (byte* data = logits.bytes)
        fixed (float* valueRows = topValues)
        fixed (long* idRows = topIds)
            for (long row = 0; row < rows; row++)
                if (!(WideVectors
                        ? SelectRow<LogitBlocks512>((float*)data + row * vocabulary, vocabulary, (int)excluded, k, valueRows + row * k, idRows + row * k)
                        : SelectRow<LogitBlocks256>((float*)data + row * vocabulary, vocabulary, (int)excluded, k, valueRows + row * k, idRows + row * k)))
                    return false;
        values = tensor(topValues, [rows, k]);
        indices = tensor(topIds, [rows, k]);
        return true;
    }

    private static unsafe bool SelectRow<TBlocks>(float* row, int vocabulary, int excluded, int k, float* best, long* ids)
        where TBlocks : ILogitBlocks
    {
        const int blockWidth = 16;
        var count = 0;
        var column = 0;
        // The first k tokens (and any block holding the excluded one) one at a time; then blocks of 16 are skipped
        // whenever none beats the k-th value (NaN compares false: checked separately).
        for (; column < vocabulary && count < k; column++)
            if (column != excluded && !Insert(row[column], column, k, best, ids, ref count))
                return false;
        for (; column < vocabulary; column += blockWidth)
        {
            var end = Math.Min(vocabulary, column + blockWidth);
            if (end - column == blockWidth && (excluded < column || excluded >= end))
            {
                if (!TBlocks.NoneIsNaN(row + column))
                    return false;
                if (TBlocks.AnyAbove(row + column, best[k - 1]))
                    for (var j = column; j < end; j++)
                        if (row[j] > best[k - 1])
                            Insert(row[j], j, k, best, ids, ref count);
                continue;
            }
            for (var j = column; j < end; j++)
                if (j != excluded && !Insert(row[j], j, k, best, ids, ref count))
                    return false;
        }
        var kth = best[k - 1];
        if (float.IsNegativeInfinity(kth))
            return false;
        // Tokens at least as large as the k-th value: more than k means ties HF would keep.
        var atLeast = 0;
        var next = 0;
        for (; next + blockWidth <= vocabulary; next += blockWidth)
            atLeast += TBlocks.CountAtLeast(row + next, kth);
        for (; next < vocabulary; next++)
            if (row[next] >= kth)
                atLeast++;
        if (row[excluded] >= kth)
            atLeast--;
        return atLeast == k;
    }

    /// <summary>Puts <paramref name="value"/> into the descending candidates after any equal ones; false for NaN.</summary>
    private static unsafe bool Insert(float value, int column, int k, float* best, long* ids, ref int count)
    {
        if (float.IsNaN(value))
            return false;
        if (count == k && !(value > best[k - 1]))
            return true;
        var position = count < k ? count++ : k - 1;
        for (; position > 0 && best[position - 1] < value; position--)
        {
            best[position] = best[position - 1];
            ids[position] = ids[position - 1];
        }
        best[position] = value;
        ids[position] = column;
        return true;
    }
}
