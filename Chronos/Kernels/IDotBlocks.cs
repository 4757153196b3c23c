namespace Forecast.Chronos.Kernels;

/// <summary>
/// The block shapes <see cref="DotKernels"/> tiles a product with, at one vector width: 512-bit
/// (<see cref="DotKernels512"/>) or 256-bit (<see cref="DotKernels256"/>, AVX2 + FMA). Both keep the same lane sums and
/// fold them in the same order, so they give the same bits.
/// </summary>
internal unsafe interface IDotBlocks
{
    /// <summary>y[r, f] (r &lt; 4, f &lt; 4) for rows of x <paramref name="xStride"/> floats apart and weight rows <paramref name="wStride"/> apart.</summary>
    static abstract void FourByFour(float* x, long xStride, float* w, long wStride, int k, float* y, long yStride);

    /// <summary>y[0, f] (f &lt; 4): one row of x against four weight rows <paramref name="wStride"/> floats apart.</summary>
    static abstract void OneByFour(float* x, float* w, long wStride, int k, float* y);

    /// <summary>One output: a row of x against one weight row.</summary>
    static abstract float One(float* x, float* w, int k);
}
