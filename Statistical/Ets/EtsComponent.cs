namespace Forecast.Statistical.Ets;

/// <summary>How an ETS component enters the model (R's letters N, A, M).</summary>
public enum EtsComponent
{
    None = 0,
    Additive = 1,
    Multiplicative = 2,
}
