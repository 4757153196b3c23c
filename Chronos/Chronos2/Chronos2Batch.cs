using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// One model batch built from tasks (chronos2/dataset.py: Chronos2Dataset._build_batch in TEST mode): context rows
/// (B, T) left-padded with NaN, future covariate rows (B, H) with NaN where unknown, one group id per task, and the
/// row range of each task's targets.
/// </summary>
public sealed record Chronos2Batch(Tensor Context, Tensor FutureCovariates, Tensor GroupIds, IReadOnlyList<(int Start, int End)> TargetRanges)
    : IDisposable
{
    public void Dispose()
    {
        Context.Dispose();
        FutureCovariates.Dispose();
        GroupIds.Dispose();
    }
}
