using Microsoft.Extensions.Configuration;

namespace Forecast.Trainer.Features;

/// <summary>
/// Flags that a run request carries (the Dashboard's challenger split), layered over the host's configuration so they
/// win over appsettings.json and environment variables for that run only, and named "run request &lt;id&gt;" in flags.yaml.
/// </summary>
public static class RunRequestFlags
{
    public static IConfigurationBuilder AddRunRequestFlags(this IConfigurationBuilder builder, IReadOnlyDictionary<string, string> settings, string description) =>
        builder.Add(new Source(settings, description));

    private sealed class Source(IReadOnlyDictionary<string, string> settings, string description) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(settings, description);
    }

    public sealed class Provider(IReadOnlyDictionary<string, string> settings, string description) : ConfigurationProvider
    {
        public string Description { get; } = description;

        public override void Load() =>
            Data = settings.ToDictionary(s => s.Key, s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);
    }
}
