using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// libtorch's version counter of a tensor (PyTorch's <c>Tensor._version</c>): bumped by every in-place operation on
/// the tensor or a view of it — <c>copy_</c> (state-dict loading), <c>add_</c> (a LoRA merge), optimizer steps,
/// <c>set_</c>. TorchSharp does not expose it; libtorch exports the ATen operator <c>at::_ops::_version::call</c>, which
/// takes the <c>at::Tensor</c> that a TorchSharp handle points to. Writes through raw memory (<c>Tensor.bytes</c>,
/// <c>data&lt;T&gt;()</c> accessors) bypass it.
/// </summary>
internal static unsafe class TensorVersion
{
    /// <summary>The operator's Itanium C++ name: <c>at::_ops::_version::call(at::Tensor const&amp;)</c>.</summary>
    private const string Symbol = "_ZN2at4_ops8_version4callERKNS_6TensorE";

    private static readonly delegate* unmanaged<nint, long> Entry = Load();

    /// <summary>True where the counter can be read (libtorch's CPU library on Linux, the operator exported and checked).</summary>
    public static bool IsAvailable => Entry != null;

    /// <summary>The tensor's version; <see cref="NotSupportedException"/> where <see cref="IsAvailable"/> is false.</summary>
    public static long Of(Tensor tensor) => Entry != null
        ? Entry(tensor.Handle)
        : throw new NotSupportedException("libtorch's tensor version counter is not readable in this process.");

    private static delegate* unmanaged<nint, long> Load()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        TorchRuntime.EnsureLoaded();
        var folder = Path.GetDirectoryName(TorchRuntime.NativeLibraryPath)!;
        var library = Path.Combine(folder, "libtorch_cpu.so");
        if (!File.Exists(library) || !NativeLibrary.TryLoad(library, out var handle) || !NativeLibrary.TryGetExport(handle, Symbol, out var export))
            return null;
        var entry = (delegate* unmanaged<nint, long>)export;
        // The operator is what we take it for only if an in-place operation moves the count on (and a view shares it).
        using var probe = zeros(4);
        var before = entry(probe.Handle);
        probe.add_(1);
        using var view = probe[..2];
        var after = entry(probe.Handle);
        view.mul_(2);
        return after == before + 1 && entry(probe.Handle) == after + 1 && entry(view.Handle) == after + 1 ? entry : null;
    }
}
