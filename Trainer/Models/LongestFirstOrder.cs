using System.Collections.Concurrent;
using Forecast.Core.Series;

namespace Forecast.Trainer.Models;

/// <summary>
/// The order in which a batch's series are handed to the cores: longest expected fit first (Graham's LPT rule), so a
/// slow fit does not start last and leave the other cores idle while it finishes. A series' expected cost is the time
/// its previous fit took (a rolling-origin backtest fits the same series again and again on histories one window
/// longer, so the last fit predicts the next one well); series not fitted yet come first, longest history first (their
/// first fit is the one that searches a form, the costliest). The order changes only which core fits a series and when,
/// never the fit.
/// </summary>
internal sealed class LongestFirstOrder
{
    private readonly ConcurrentDictionary<string, double> _seconds = new(StringComparer.Ordinal);

    /// <summary>The batch's positions, longest expected fit first (equal expectations: longer history first, then input order).</summary>
    public int[] Of(IReadOnlyList<TimeSeries> histories)
    {
        var known = new double[histories.Count];
        for (int i = 0; i < known.Length; i++)
            known[i] = _seconds.TryGetValue(histories[i].Id, out double seconds) ? seconds : double.PositiveInfinity;
        return [.. Enumerable.Range(0, histories.Count)
            .OrderByDescending(i => known[i])
            .ThenByDescending(i => histories[i].Length)
            .ThenBy(i => i)];
    }

    /// <summary>Remembers how long a series' fit took, for the next batch that holds it.</summary>
    public void Record(string id, double seconds) => _seconds[id] = seconds;
}
