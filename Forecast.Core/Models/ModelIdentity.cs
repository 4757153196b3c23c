namespace Forecast.Core.Models;

/// <summary>
/// What a run's model is, everywhere a model is named (metrics.yaml, run summaries, the leaderboard, the Evaluator
/// API): the model name, and for models that have them the variant and the checkpoint, written
/// <c>name[/variant][@checkpoint]</c> — <c>seasonal_naive</c>, <c>prophet</c>, <c>chronos/bolt@amazon/chronos-bolt-small</c>.
/// Two Chronos runs with different variants or checkpoints are different models and rank side by side.
/// </summary>
/// <remarks>
/// Runs whose series the Model feature flag routed to several models are named by their identities joined with '|'
/// (e.g. <c>naive|seasonal_naive</c>); such a name parses back as a whole into <see cref="Name"/>.
/// </remarks>
public sealed record ModelIdentity(string Name, string? Variant = null, string? Checkpoint = null)
{
    public const char VariantSeparator = '/';
    public const char CheckpointSeparator = '@';
    public const char RoutedSeparator = '|';

    /// <summary>The identity of several models sharing one run's series, in ordinal order.</summary>
    public static ModelIdentity Routed(IEnumerable<ModelIdentity> models) =>
        new(string.Join(RoutedSeparator, models.Select(m => m.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

    /// <summary>Reads <c>name[/variant][@checkpoint]</c>; the checkpoint is everything after the first '@' (hub ids may hold '/' and '@revision').</summary>
    public static ModelIdentity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains(RoutedSeparator, StringComparison.Ordinal)) return new ModelIdentity(text);
        int at = text.IndexOf(CheckpointSeparator, StringComparison.Ordinal);
        string head = at < 0 ? text : text[..at];
        string? checkpoint = at < 0 ? null : text[(at + 1)..];
        int slash = head.IndexOf(VariantSeparator, StringComparison.Ordinal);
        return slash < 0
            ? new ModelIdentity(head, null, checkpoint)
            : new ModelIdentity(head[..slash], head[(slash + 1)..], checkpoint);
    }

    public override string ToString() =>
        Name + (string.IsNullOrEmpty(Variant) ? "" : VariantSeparator + Variant) + (string.IsNullOrEmpty(Checkpoint) ? "" : CheckpointSeparator + Checkpoint);
}
