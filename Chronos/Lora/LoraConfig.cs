namespace Forecast.Chronos.Lora;

/// <summary>
/// Low-rank adaptation settings (peft LoraConfig, as Chronos2Pipeline.fit(finetune_mode="lora") uses it): every
/// <c>nn.Linear</c> whose module path is one of <see cref="TargetModules"/> or ends with "." + one of them gets a trainable
/// update <c>(alpha / r) · B · A</c> (A: r × in, B: out × r) while the model's own weights stay frozen.
/// </summary>
public sealed record LoraConfig
{
    /// <summary>Chronos2Pipeline.fit's default targets: the attention projections and the output head's output layer.</summary>
    public static readonly IReadOnlyList<string> Chronos2TargetModules =
        ["self_attention.q", "self_attention.v", "self_attention.k", "self_attention.o", "output_patch_embedding.output_layer"];

    /// <summary>Rank of the update (peft r; fit's default 8).</summary>
    public int R { get; init; } = 8;

    /// <summary>peft lora_alpha (fit's default 16); the update is scaled by alpha / r.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>peft lora_dropout on the update's input while training (default 0).</summary>
    public double Dropout { get; init; }

    public IReadOnlyList<string> TargetModules { get; init; } = Chronos2TargetModules;

    /// <summary>peft LoraLayer.scaling (not rsLoRA): lora_alpha / r.</summary>
    public double Scaling => Alpha / R;

    internal void Validate(string where)
    {
        if (R < 1)
            throw new LoraAdapterException(where, $"r is {R}; the rank must be at least 1.");
        if (!double.IsFinite(Alpha) || Alpha <= 0)
            throw new LoraAdapterException(where, $"lora_alpha is {Alpha}; it must be a positive number.");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new LoraAdapterException(where, $"lora_dropout is {Dropout}; it must be in [0, 1).");
        if (TargetModules.Count == 0)
            throw new LoraAdapterException(where, "target_modules is empty; name the linear layers to adapt.");
    }

    /// <summary>peft's match of a module path against target_modules given as a list (check_target_module_exists).</summary>
    internal bool Targets(string modulePath) =>
        TargetModules.Any(t => modulePath == t || modulePath.EndsWith("." + t, StringComparison.Ordinal));
}
