using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Features;

/// <summary>
/// One IForecaster over several models: each series goes to the model the <see cref="TrainerFeatures.Model"/> flag
/// allocates to its unique_id (the YAML model when the flag gives no variant). Series are grouped by model, each group
/// is one batch call, and the forecasts come back in input order — what the pipeline and the metrics expect.
/// </summary>
public sealed class ModelRouter(string name, TrainerFeatures features, string defaultModel, Func<string, IForecaster> createModel) : IForecaster
{
    private readonly Dictionary<string, string> _assignments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IForecaster> _models = new(StringComparer.Ordinal);

    public string Name => name;

    /// <summary>Which model each series went to so far (unique_id → model.name).</summary>
    public IReadOnlyDictionary<string, string> Assignments => _assignments;

    /// <summary>model_assignments.yaml of the run: for each model, the series it forecast (ordinal order), so a
    /// challenger's share can be scored apart from the metrics per series.</summary>
    public SortedDictionary<string, List<string>> AssignmentsByModel()
    {
        var byModel = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, model) in _assignments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!byModel.TryGetValue(model, out var ids)) byModel[model] = ids = [];
            ids.Add(id);
        }
        return byModel;
    }

    public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < histories.Count; i++)
        {
            string model = await ModelForAsync(histories[i].Id, cancellationToken).ConfigureAwait(false);
            if (!groups.TryGetValue(model, out var members)) groups[model] = members = [];
            members.Add(i);
        }

        var results = new SeriesForecast[histories.Count];
        foreach (var (model, members) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!_models.TryGetValue(model, out var forecaster)) _models[model] = forecaster = createModel(model);
            var batch = members.Select(i => histories[i]).ToList();
            var forecasts = await forecaster.ForecastAsync(batch, request, progress, cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < members.Count; j++) results[members[j]] = forecasts[j];
        }
        return results;
    }

    private async Task<string> ModelForAsync(string uniqueId, CancellationToken cancellationToken)
    {
        if (_assignments.TryGetValue(uniqueId, out string? model)) return model;
        model = await features.ChooseModelAsync(uniqueId, cancellationToken).ConfigureAwait(false) ?? defaultModel;
        _assignments[uniqueId] = model;
        return model;
    }
}
