using Forecast.Core.Models;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// Makes one kind of model from its config section <c>model.&lt;Name&gt;</c>. Register an implementation in
/// <see cref="ModelRegistry"/> to make <c>model: { name: &lt;Name&gt; }</c> valid; Prophet and Chronos plug in this way.
/// </summary>
public interface IModelFactory
{
    /// <summary>The value of model.name that selects this model, e.g. "seasonal_naive".</summary>
    string Name { get; }

    /// <summary>
    /// Reads and validates the model's options from <paramref name="options"/> (problems are recorded there, with
    /// line:column; do not throw) and returns how to build the model.
    /// </summary>
    Func<ModelContext, IForecaster> Configure(ConfigSection options);

    /// <summary>
    /// As <see cref="Configure(ConfigSection)"/>, for a model built from other models (<c>model: auto</c>):
    /// <paramref name="models"/> configures the <c>model.&lt;name&gt;</c> sections it names.
    /// </summary>
    Func<ModelContext, IForecaster> Configure(ConfigSection options, ModelCatalog models) => Configure(options);

    /// <summary>
    /// What the Dashboard's start form offers for this model (the registry publishes it as <see cref="RegisteredModels"/>):
    /// a summary, and the values of <c>model.&lt;Name&gt;.variant</c> with the checkpoints known for each. Models
    /// without variants keep the default. A model whose section has <c>variant</c> or <c>checkpoint</c> keys is
    /// identified by them in runs (<see cref="ModelIdentity"/>).
    /// </summary>
    ModelDescription Describe() => new(Name, "", []);
}
