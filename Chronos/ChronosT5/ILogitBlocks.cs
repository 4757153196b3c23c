namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// The three questions <see cref="TopCandidates"/> asks of 16 consecutive logits, at one vector width: answered with
/// one 512-bit vector (<see cref="LogitBlocks512"/>) or two 256-bit halves (<see cref="LogitBlocks256"/>, AVX2). The
/// answers are exact (comparisons and counts), so both widths select the same candidates.
/// </summary>
internal unsafe interface ILogitBlocks
{
    /// <summary>Whether none of the 16 logits at <paramref name="block"/> is NaN.</summary>
    static abstract bool NoneIsNaN(float* block);

    /// <summary>Whether any of the 16 logits at <paramref name="block"/> is greater than <paramref name="threshold"/>.</summary>
    static abstract bool AnyAbove(float* block, float threshold);

    /// <summary>How many of the 16 logits at <paramref name="block"/> are at least <paramref name="threshold"/>.</summary>
    static abstract int CountAtLeast(float* block, float threshold);
}
