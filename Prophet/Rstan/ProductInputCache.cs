using System.Runtime.InteropServices;

namespace Forecast.Prophet.Rstan;

/// <summary>
/// The input of the last matrix–vector product an <see cref="RstanObjective"/> computed into a buffer, compared bit
/// for bit: a product whose input has not changed (Stan's finite-difference Hessian moves one parameter at a time,
/// so most of the trend's and the seasonalities' products see the same vector as before) keeps its result, which is
/// the same arithmetic on the same bits and so the same value.
/// </summary>
internal sealed class ProductInputCache(int length)
{
    private readonly long[] _bits = new long[length];
    private bool _valid;

    /// <summary>True when <paramref name="input"/> has the bits of the stored input.</summary>
    public bool Matches(ReadOnlySpan<double> input) =>
        _valid && MemoryMarshal.Cast<double, long>(input).SequenceEqual(_bits);

    /// <summary>Stores <paramref name="input"/> as the input of the product now in the buffer.</summary>
    public void Store(ReadOnlySpan<double> input)
    {
        MemoryMarshal.Cast<double, long>(input).CopyTo(_bits);
        _valid = true;
    }

    /// <summary>The buffer no longer holds a product of the stored input.</summary>
    public void Invalidate() => _valid = false;
}
