namespace Forecast.Statistical.Ets;

/// <summary>R <c>ets(bounds = )</c>: the parameter space searched.</summary>
public enum EtsBounds
{
    /// <summary>The intersection of the usual box and the admissible region (R's default).</summary>
    Both,
    /// <summary>Only lower ≤ parameter ≤ upper (with β ≤ α and γ ≤ 1 − α).</summary>
    Usual,
    /// <summary>Only the admissible region.</summary>
    Admissible,
}
