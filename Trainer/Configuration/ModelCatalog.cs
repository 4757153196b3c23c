using Forecast.Core.Models;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// The models of one config's <c>model:</c> section, configured by name: each <c>model.&lt;name&gt;</c> section is
/// read and validated once (an absent section gives the model's defaults). The loader configures the selected model
/// and every section present through it; a model built from other models (<c>model: auto</c>'s candidates) asks it for
/// them, so a candidate's options are the same <c>model.&lt;name&gt;</c> keys as when it runs alone.
/// </summary>
public sealed class ModelCatalog(ConfigSection model, ModelRegistry registry)
{
    private readonly Dictionary<string, Func<ModelContext, IForecaster>> _configured = new(StringComparer.Ordinal);
    private readonly HashSet<string> _configuring = new(StringComparer.Ordinal);

    /// <summary>Every model name a config may use, in ordinal order.</summary>
    public IReadOnlyList<string> Names => registry.Names;

    /// <summary>Whether the config has a <c>model.&lt;name&gt;</c> section (e.g. a Chronos checkpoint was configured).</summary>
    public bool HasSection(string name) => model.Has(name);

    /// <summary>
    /// How to build model <paramref name="name"/> from its section, or null for a name no model has, or for a model
    /// that is being configured already (a model cannot be built from itself).
    /// </summary>
    public Func<ModelContext, IForecaster>? Configure(string name)
    {
        if (_configured.TryGetValue(name, out var built)) return built;
        if (!registry.TryGet(name, out var factory) || !_configuring.Add(name)) return null;
        try
        {
            built = factory.Configure(model.Section(name), this);
        }
        finally
        {
            _configuring.Remove(name);
        }
        _configured[name] = built;
        return built;
    }
}
