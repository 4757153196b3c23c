namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// Which runs a list shows: exact dataset, model and status, runs started in [<see cref="StartedFrom"/>,
/// <see cref="StartedBefore"/>), and a case-insensitive substring of the run id or name. Null matches anything.
/// Applied to the catalog's summaries, before any run's files are read.
/// </summary>
public sealed record RunFilter(
    string? Dataset = null,
    string? Model = null,
    string? Status = null,
    DateTime? StartedFrom = null,
    DateTime? StartedBefore = null,
    string? Search = null)
{
    public static readonly RunFilter None = new();

    public bool IsEmpty => this == None;

    public bool Matches(RunSummary run) =>
        (Dataset is null || run.Dataset == Dataset)
        && (Model is null || run.Model == Model)
        && (Status is null || run.Status == Status)
        && (StartedFrom is not { } from || run.StartedUtc >= from)
        && (StartedBefore is not { } before || run.StartedUtc < before)
        && (string.IsNullOrEmpty(Search)
            || run.RunId.Contains(Search, StringComparison.OrdinalIgnoreCase)
            || run.RunName.Contains(Search, StringComparison.OrdinalIgnoreCase));
}
