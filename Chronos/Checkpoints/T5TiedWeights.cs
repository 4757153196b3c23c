namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// The tied embedding of T5-family checkpoints (Chronos-T5, Bolt, Chronos-2): <c>shared.weight</c> is the one
/// parameter behind <c>encoder.embed_tokens.weight</c>, <c>decoder.embed_tokens.weight</c> and, when
/// tie_word_embeddings is true (T5Config default), <c>lm_head.weight</c> — transformers
/// T5ForConditionalGeneration._tied_weights_keys. Files differ in which of these they hold: transformers 4.31 wrote
/// shared + both embed_tokens copies (the chronos repo's test/dummy-chronos-model), 4.46 writes only shared.weight
/// (save_pretrained drops the _tied_weights_keys names that share storage). Reading resolves any member of the group
/// to whichever copy the file has; saving keeps only shared.weight, as transformers does.
/// </summary>
public static class T5TiedWeights
{
    public const string Shared = "shared.weight";
    public const string EncoderEmbedding = "encoder.embed_tokens.weight";
    public const string DecoderEmbedding = "decoder.embed_tokens.weight";
    public const string LmHead = "lm_head.weight";

    /// <summary>The names tied to <see cref="Shared"/>, the canonical one first.</summary>
    public static IReadOnlyList<string> Group(bool tieWordEmbeddings) =>
        tieWordEmbeddings ? [Shared, EncoderEmbedding, DecoderEmbedding, LmHead] : [Shared, EncoderEmbedding, DecoderEmbedding];

    /// <summary>
    /// The stored name to read for <paramref name="name"/>: itself when present, else the first present member of its
    /// tied group; null when neither.
    /// </summary>
    public static string? Resolve(string name, Func<string, bool> isStored, bool tieWordEmbeddings = true)
    {
        if (isStored(name))
            return name;
        var group = Group(tieWordEmbeddings);
        return group.Contains(name, StringComparer.Ordinal) ? group.FirstOrDefault(isStored) : null;
    }

    /// <summary>
    /// What save_pretrained writes for a state dict holding <paramref name="names"/>: (stored name → name in the file).
    /// Tied copies are dropped; a group stored only under an alias is written as shared.weight.
    /// </summary>
    public static IReadOnlyList<(string Source, string Target)> NamesToSave(IEnumerable<string> names, bool tieWordEmbeddings = true)
    {
        var present = names.ToList();
        var group = Group(tieWordEmbeddings);
        var canonical = group.FirstOrDefault(n => present.Contains(n, StringComparer.Ordinal));
        return present
            .Where(name => !group.Contains(name, StringComparer.Ordinal) || name == canonical)
            .Select(name => (name, name == canonical ? Shared : name))
            .ToList();
    }

    /// <summary>The tied copies present besides the canonical one, with the canonical they must equal.</summary>
    public static IEnumerable<(string Copy, string Canonical)> DroppedCopies(IEnumerable<string> names, bool tieWordEmbeddings = true)
    {
        var present = names.ToList();
        var group = Group(tieWordEmbeddings);
        var canonical = group.FirstOrDefault(n => present.Contains(n, StringComparer.Ordinal));
        if (canonical is null)
            yield break;
        foreach (var name in group.Where(n => n != canonical && present.Contains(n, StringComparer.Ordinal)))
            yield return (name, canonical);
    }
}
