namespace Forecast.Chronos.Kernels;

/// <summary>
/// The block shapes <see cref="DotKernels"/> tiles a product with, at one vector width: 512-bit
/// (<see cref="DotKernels512"/>) or 256-bit (<see cref="DotKernels256"/>, AVX2 + FMA). Both keep the same lane sums and
/// fold them in the same order, so they give the same bits.
/// </summary>
internal unsafe interface IDotBlocks
{
    /// <summary>
    /// y[r, f] for all <paramref name="rows"/> (rows of x k floats apart, of y <paramref name="yStride"/>) and the four
    /// output features whose weights are the four rows at <paramref name="w"/> (k floats apart); <paramref name="next"/>
    /// (4·k floats, or null): weights to bring into the L2 cache meanwhile.
    /// </summary>
    static abstract void FourFeatures(float* x, int rows, int k, float* w, float* y, long yStride, float* next);

    /// <summary>One output: a row of x against one weight row.</summary>
    static abstract float One(float* x, float* w, int k);
}
