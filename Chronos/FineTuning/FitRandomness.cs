using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// One fit's own random stream: a generator seeded with <see cref="FineTuneOptions.Seed"/>, so that a fit draws the
/// same numbers whatever else draws from the process's default generator before it, between its steps or alongside it
/// (another fit, a progress handler, tests running in parallel). Draws that take a generator take
/// <see cref="Generator"/> (LoRA's initial A, <see cref="Lora.LoraAdapter.Inject"/>); libtorch's dropout takes none,
/// so the model's dropout goes through <see cref="FitDropout.Apply(TorchSharp.Modules.Dropout, Tensor)"/>, which draws
/// from the generator of the fit whose training step runs on the calling thread (<see cref="Step"/>). A fit leaves the
/// process's default generator as it was.
/// </summary>
internal sealed class FitRandomness(int seed) : IDisposable
{
    [ThreadStatic] private static Generator? running;

    /// <summary>The fit's generator (seeded as <c>torch.manual_seed(seed)</c> seeds the default one).</summary>
    public Generator Generator { get; } = new(unchecked((ulong)seed));

    /// <summary>The generator of the fit whose step runs on this thread, or null outside a step.</summary>
    internal static Generator? Running => running;

    /// <summary>Runs one training step (forward and loss) with its dropout drawing from this fit's generator.</summary>
    public T Step<T>(Func<T> step)
    {
        var previous = running;
        running = Generator;
        try
        {
            return step();
        }
        finally
        {
            running = previous;
        }
    }

    public void Dispose() => Generator.Dispose();
}
