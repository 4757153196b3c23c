using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// The composed weight <c>W₂·W₁</c> of two bias-free linear layers applied one after the other (Chronos-2's group
/// attention when every series is its own group: <c>o(v(x))</c> through <c>W_o·W_v</c>), kept by the module that owns
/// the layers between inference calls, so that every call after the first multiplies once instead of twice.
/// </summary>
/// <remarks>
/// It is valid while both layers hold the tensors it was composed from at the versions it saw (<see cref="TensorVersion"/>:
/// every in-place change — state-dict loading, a LoRA merge, an optimizer step — moves the version on) and until
/// <see cref="Invalidate"/>, which our own weight-changing code paths call and which is the contract for writes that
/// bypass libtorch's operators (raw memory through <c>Tensor.bytes</c> or <c>data&lt;T&gt;()</c>). Where the version
/// counter cannot be read nothing is kept between calls. Composing costs <c>d_in·d_mid·d_out</c> multiply-adds and each
/// row then saves <c>d_mid·d_out</c>: it pays for itself after <c>d_in</c> rows, so it is made in a call that sends at
/// least <see cref="RowsToCompose"/> rows through the chain (paid back within eight such calls; a one-series Chronos-2
/// forecast of 2048 steps sends 130 rows through each block), and never for a chain that sees a few rows per call (the
/// last block's output patches). Weights must not change while a call runs (as for any model).
/// </remarks>
internal sealed class ComposedWeight : IDisposable
{
    private readonly Lock gate = new();
    private Tensor? composed;
    private Tensor? firstWeight;
    private Tensor? secondWeight;
    private long firstVersion;
    private long secondVersion;

    /// <summary>Rows a call sends through a chain of input width <paramref name="inFeatures"/> for it to be composed: an eighth of the break-even.</summary>
    public static long RowsToCompose(long inFeatures) => Math.Max(1, inFeatures / 8);

    /// <summary>True while a composed weight is kept (for tests and memory accounting).</summary>
    public bool IsKept
    {
        get
        {
            lock (gate)
                return composed is not null;
        }
    }

    /// <summary>
    /// The composed weight for <paramref name="first"/> then <paramref name="second"/> as they are now, made by
    /// <paramref name="compose"/> when none is kept and the call sends <paramref name="callRows"/> ≥ <see cref="RowsToCompose"/>
    /// rows through the chain; null otherwise or where versions cannot be read (the caller multiplies twice).
    /// </summary>
    public Tensor? For(Linear first, Linear second, long callRows, Func<Tensor> compose)
    {
        if (!TensorVersion.IsAvailable)
            return null;
        var (weight1, weight2) = (first.weight!, second.weight!);
        lock (gate)
        {
            var (version1, version2) = (TensorVersion.Of(weight1), TensorVersion.Of(weight2));
            if (!ReferenceEquals(weight1, firstWeight) || !ReferenceEquals(weight2, secondWeight) || version1 != firstVersion || version2 != secondVersion)
            {
                Drop();
                (firstWeight, secondWeight, firstVersion, secondVersion) = (weight1, weight2, version1, version2);
            }
            if (composed is null && callRows >= RowsToCompose(weight1.shape[1]))
                composed = compose().DetachFromDisposeScope();
            return composed;
        }
    }

    /// <summary>Drops the composed weight; the next call composes again from the layers' current weights.</summary>
    public void Invalidate()
    {
        lock (gate)
        {
            Drop();
            (firstWeight, secondWeight) = (null, null);
        }
    }

    /// <summary>Invalidates every composed weight kept by the modules of <paramref name="root"/> (itself included).</summary>
    public static void InvalidateAll(nn.Module root)
    {
        foreach (var module in root.modules().Prepend(root))
            if (module is IKeepsComposedWeights keeper)
                keeper.InvalidateComposedWeights();
    }

    public void Dispose() => Invalidate();

    private void Drop()
    {
        composed?.Dispose();
        composed = null;
    }
}

/// <summary>A module that keeps <see cref="ComposedWeight"/>s of its own layers between calls.</summary>
internal interface IKeepsComposedWeights
{
    /// <summary>Drops them (<see cref="ComposedWeight.Invalidate"/>).</summary>
    void InvalidateComposedWeights();
}
