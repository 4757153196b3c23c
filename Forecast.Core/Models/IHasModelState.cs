namespace Forecast.Core.Models;

/// <summary>
/// A model with learned state worth keeping (Prophet's fitted parameters, a fine-tuned Chronos checkpoint): the run
/// writes each file under model/. Baselines keep no state and do not implement it.
/// </summary>
public interface IHasModelState
{
    /// <summary>The files of the state: relative names ("params.json") and their bytes.</summary>
    IReadOnlyList<(string Name, byte[] Content)> ExportState();
}
