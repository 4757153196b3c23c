using static TorchSharp.torch;

namespace Forecast.Chronos.Common;

/// <summary>
/// Turns user series into the (B, T) float32 context both pipelines take: series of different lengths are
/// left-padded with NaN (utils.py: left_pad_and_stack_1D), so padding and missing values are the same thing.
/// Validates what the reference silently turns into garbage: ±∞ values and series without any observation.
/// </summary>
public static class ContextBatch
{
    /// <summary>Left-pads and stacks 1-D series into (B, max length).</summary>
    public static Tensor LeftPadAndStack(IReadOnlyList<float[]> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
            throw new ArgumentException("At least one series is needed.", nameof(series));
        var length = series.Max(s => s?.Length ?? throw new ArgumentException("A series is null.", nameof(series)));
        if (length == 0)
            throw new ArgumentException("Every series is empty; a context needs at least one value.", nameof(series));
        var data = new float[series.Count * length];
        Array.Fill(data, float.NaN);
        for (var i = 0; i < series.Count; i++)
            series[i].CopyTo(data, i * length + length - series[i].Length);
        var context = tensor(data, [series.Count, length]);
        Validate(context);
        return context;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the series (row) and position of an infinite value, or a row
    /// that is entirely NaN (no observation to scale or forecast from).
    /// </summary>
    public static void Validate(Tensor context)
    {
        if (context.dim() != 2)
            throw new ArgumentException(
                $"The context must be 2-D (series, time) but has shape [{string.Join(", ", context.shape)}].", nameof(context));
        if (!context.is_floating_point())
            throw new ArgumentException($"The context must hold floating-point values, not {context.dtype}.", nameof(context));
        using var scope = NewDisposeScope();
        var infinite = context.isinf();
        if (infinite.any().item<bool>())
        {
            var flat = infinite.flatten().to_type(ScalarType.Int64).argmax().item<long>();
            var (row, column) = (flat / context.shape[1], flat % context.shape[1]);
            throw new ArgumentException(
                $"Series {row} has a non-finite value ({context[row, column].item<float>()}) at position {column}; "
                + "replace it with NaN (missing) or a finite number.", nameof(context));
        }
        var observed = context.isnan().logical_not().any(1);
        if (!observed.all().item<bool>())
        {
            var row = observed.logical_not().to_type(ScalarType.Int64).argmax().item<long>();
            throw new ArgumentException(
                $"Series {row} has no observed value (all {context.shape[1]} values are NaN); drop it or give it at least one value.",
                nameof(context));
        }
    }
}
