namespace Forecast.Chronos.Parallelism;

/// <summary>
/// What one thread does with the work a <see cref="PanelRowSchedule"/> hands it: a struct per thread (its own panel
/// buffer), called through a generic constraint so that the calls are direct.
/// </summary>
internal interface IPanelRowWork
{
    /// <summary>
    /// Readies <paramref name="panel"/> for the row blocks this thread is about to take (packs it, where the weights
    /// are not packed yet). <paramref name="whole"/>: the thread took the panel itself (it may prefetch what it takes
    /// next), rather than joining the open blocks of a panel another thread is multiplying.
    /// </summary>
    void BeginPanel(int panel, bool whole);

    /// <summary>Multiplies rows <paramref name="firstRow"/> … <paramref name="endRow"/>−1 (block <paramref name="block"/>) with the panel begun last.</summary>
    void MultiplyRows(int panel, int block, int firstRow, int endRow);
}
