using System.Globalization;
using System.Text;
using Forecast.Prophet;

namespace Forecast.Trainer.Models;

/// <summary>
/// One prophet fit of a run, as model/prophet/diagnostics.csv records it: which call of the run (the evaluation
/// windows in order, then the forecast beyond the data), the series, the fit mode and optimiser, its iterations and
/// return code, the log posterior reached, the KKT residual with its tolerance (<see cref="OptimizationResult"/>) and
/// the fit's wall time.
/// </summary>
public sealed record ProphetFitDiagnostics(int Call, string SeriesId, ProphetFitMode Mode, OptimizationResult? Optimization, TimeSpan FitTime)
{
    private const string Header = "call,unique_id,fit_mode,algorithm,iterations,return_code,log_posterior,kkt_residual,kkt_tolerance,at_optimum,fit_ms";

    /// <summary>True when the fit satisfies the first-order conditions of the MAP (or no optimiser ran: constant history).</summary>
    public bool AtOptimum => Optimization is null || Optimization.AtKktPoint;

    /// <summary>The CSV of all fits (RFC 4180 quoting of ids; doubles round-trip; empty when not applicable).</summary>
    public static byte[] ToCsv(IEnumerable<ProphetFitDiagnostics> fits)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var fit in fits)
        {
            var o = fit.Optimization;
            text.Append(fit.Call.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Quote(fit.SeriesId)).Append(',')
                .Append(fit.Mode == ProphetFitMode.RCompatible ? "r_compatible" : "exact").Append(',')
                .Append(o?.Algorithm ?? "none").Append(',')
                .Append(o?.Iterations.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
                .Append(o?.ReturnCode.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
                .Append(Number(o?.LogPosterior)).Append(',')
                .Append(Number(o?.KktResidual)).Append(',')
                .Append(Number(o?.KktTolerance)).Append(',')
                .Append(fit.AtOptimum ? "true" : "false").Append(',')
                .Append(fit.FitTime.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The run-log warning for fits whose KKT residual exceeds its tolerance, or null when there are none.</summary>
    public static string? Warning(IReadOnlyList<ProphetFitDiagnostics> fits)
    {
        var stopped = fits.Where(f => !f.AtOptimum).ToList();
        if (stopped.Count == 0)
        {
            return null;
        }

        var names = string.Join(", ", stopped.Select(f => $"'{f.SeriesId}'").Distinct().Take(5));
        var more = stopped.Select(f => f.SeriesId).Distinct().Count() > 5 ? " and more" : "";
        var why = stopped.All(f => f.Mode == ProphetFitMode.RCompatible)
            ? " This is expected with fit_mode: r_compatible, which stops where rstan stops (short of the mode at the changepoint kinks); the default fit_mode: exact reaches it."
            : "";
        return $"prophet: {stopped.Count} of {fits.Count} fits stopped short of the optimum (KKT residual above its tolerance): {names}{more}; see model/prophet/diagnostics.csv.{why}";
    }

    private static string Number(double? value) =>
        value is { } v && !double.IsNaN(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
