namespace Forecast.Trainer.Configuration;

/// <summary>
/// The models a config may name, keyed by <see cref="IModelFactory.Name"/>: the one list of models, variants and
/// checkpoints (<see cref="Describe"/> publishes it for the Dashboard). An unknown model.name is a config error that
/// lists these names. ETS, ARIMA, Theta, MSTL, Prophet and Chronos register here (adapters in Trainer/Models), and auto, built from the others (Trainer/Auto).
/// </summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, IModelFactory> _factories;

    public ModelRegistry(IEnumerable<IModelFactory> factories)
    {
        _factories = new Dictionary<string, IModelFactory>(StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            if (!_factories.TryAdd(factory.Name, factory))
                throw new ArgumentException($"Two model factories are named '{factory.Name}'.", nameof(factories));
        }
    }

    public static ModelRegistry Default { get; } = new([
        new NaiveModelFactory(), new SeasonalNaiveModelFactory(), new MeanModelFactory(),
        new Models.EtsModelFactory(), new Models.ArimaModelFactory(), new Models.ThetaModelFactory(), new Models.MstlModelFactory(),
        new Models.ProphetModelFactory(), new Models.ChronosModelFactory(), new Auto.AutoModelFactory()]);

    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    public bool TryGet(string name, out IModelFactory factory) => _factories.TryGetValue(name, out factory!);

    /// <summary>Every registered model with its variants and checkpoints, by name: what the Dashboard offers.</summary>
    public Core.Models.RegisteredModels Describe() => new([.. Names.Select(name => _factories[name].Describe())]);
}
