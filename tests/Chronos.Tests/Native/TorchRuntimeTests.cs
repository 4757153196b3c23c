using Forecast.Chronos;
using TorchSharp;

namespace Forecast.Chronos.Tests.Native;

public class TorchRuntimeTests
{
    [Fact]
    public void Native_library_loads_and_computes()
    {
        TorchRuntime.EnsureLoaded();

        using var scope = torch.NewDisposeScope();
        var product = torch.tensor(new float[] { 1, 2, 3 }).dot(torch.tensor(new float[] { 4, 5, 6 }));

        product.item<float>().Should().Be(32f);
    }

    [Fact]
    public void Thread_count_is_set_explicitly()
    {
        TorchRuntime.SetThreads(2);

        torch.get_num_threads().Should().Be(2);
    }

    [Fact]
    public void Output_folder_holds_the_library_prepared_by_the_Chronos_build()
    {
        var library = TorchRuntime.NativeLibraryPath;

        File.Exists(library).Should().BeTrue("Forecast.Chronos.Native.targets copies it into every referencing project");
        File.Exists(Path.Combine(Path.GetDirectoryName(library)!, "libtorch_cpu.so")).Should().BeTrue(
            "libtorch's libraries must sit next to it, where its RUNPATH $ORIGIN finds them");
    }
}
