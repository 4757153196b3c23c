using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// One training/validation batch (chronos2/dataset.py: _build_batch in TRAIN/VALIDATION mode): contexts (B, ≤C)
/// left-padded with NaN, future targets (B, H) with NaN on covariate rows, future covariates (B, H) with the true
/// values of known-future covariate rows and NaN elsewhere, one group id per task.
/// </summary>
public sealed record Chronos2TrainingBatch(Tensor Context, Tensor FutureTarget, Tensor FutureCovariates, Tensor GroupIds) : IDisposable
{
    public void Dispose()
    {
        Context.Dispose();
        FutureTarget.Dispose();
        FutureCovariates.Dispose();
        GroupIds.Dispose();
    }
}
