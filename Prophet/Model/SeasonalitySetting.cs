namespace Forecast.Prophet;

/// <summary>
/// A built-in seasonality switch: prophet's <c>'auto'</c>, <c>True</c>, <c>False</c> or an integer Fourier order
/// (forecaster.py: <c>parse_seasonality_args</c>).
/// </summary>
public readonly record struct SeasonalitySetting
{
    private SeasonalitySetting(string kind, int order)
    {
        Kind = kind;
        Order = order;
    }

    /// <summary>"auto", "true", "false" or "order".</summary>
    public string Kind { get; }

    /// <summary>The Fourier order when <see cref="Kind"/> is "order".</summary>
    public int Order { get; }

    public static SeasonalitySetting Auto { get; } = new("auto", 0);
    public static SeasonalitySetting Enabled { get; } = new("true", 0);
    public static SeasonalitySetting Disabled { get; } = new("false", 0);

    public static SeasonalitySetting FourierOrder(int order)
    {
        if (order < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "A seasonality's Fourier order must be >= 0 (0 disables it).");
        }

        return new SeasonalitySetting("order", order);
    }

    public static implicit operator SeasonalitySetting(bool enabled) => enabled ? Enabled : Disabled;

    public static implicit operator SeasonalitySetting(int order) => FourierOrder(order);

    public override string ToString() => Kind == "order" ? Order.ToString(System.Globalization.CultureInfo.InvariantCulture) : Kind;
}
