using System.Runtime.InteropServices;
using TorchSharp;

namespace Forecast.Chronos;

/// <summary>
/// Loads libtorch once, with a message that names the fix when the native library cannot be loaded, and sets the
/// number of CPU threads explicitly (libtorch otherwise picks one per core of the machine, not of the container).
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool loaded;

    /// <summary>Loads the native TorchSharp backend (idempotent); throws <see cref="TorchNativeLoadException"/>.</summary>
    public static void EnsureLoaded()
    {
        if (loaded)
            return;
        lock (Gate)
        {
            if (loaded)
                return;
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception error) when (error is NotSupportedException or DllNotFoundException or TypeInitializationException)
            {
                throw new TorchNativeLoadException(DescribeLoadFailure(error), error);
            }
            loaded = true;
        }
    }

    /// <summary>Sets libtorch's intra-op thread count (torch.set_num_threads). Call before the first forward pass.</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureLoaded();
        torch.set_num_threads(threads);
    }

    /// <summary>Where the build puts libLibTorchSharp.so: next to libtorch in a portable app, else beside the app.</summary>
    internal static string NativeLibraryPath
    {
        get
        {
            var portable = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            return File.Exists(portable) ? portable : Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        }
    }

    private static string DescribeLoadFailure(Exception error)
    {
        var library = NativeLibraryPath;
        string loaderMessage;
        if (!File.Exists(library))
        {
            loaderMessage = $"{library} does not exist";
        }
        else
        {
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(library));
                loaderMessage = error.Message;
            }
            catch (DllNotFoundException loadError)
            {
                loaderMessage = loadError.Message;
            }
        }
        return "The native TorchSharp library could not be loaded: " + loaderMessage + Environment.NewLine
            + "Forecast.Chronos ships libLibTorchSharp.so through its build (Chronos/build/Forecast.Chronos.Native.targets), "
            + "with its GLIBCXX_3.4.32 requirement marked weak so that it loads on hosts whose libstdc++ lacks that version "
            + "(Debian 12). Fix: reference the Chronos project (not TorchSharp's native package directly) and rebuild; "
            + "see docs/chronos.md#native-library.";
    }
}
