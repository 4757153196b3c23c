namespace Forecast.Statistical.Theta;

/// <summary>Which Theta method to fit.</summary>
public enum ThetaVariant
{
    /// <summary>R forecast's <c>thetaf()</c>: simple exponential smoothing plus half the linear trend (the M3 Theta method).</summary>
    Standard,
    /// <summary>statsforecast's optimised Theta model (OTM, Fiorucci et al. 2016): θ estimated.</summary>
    Optimized,
    /// <summary>statsforecast's dynamic standard Theta model (DSTM): θ = 2, trend updated every step.</summary>
    DynamicStandard,
    /// <summary>statsforecast's dynamic optimised Theta model (DOTM): θ estimated, trend updated every step.</summary>
    DynamicOptimized,
    /// <summary>statsforecast's AutoTheta: fit STM, OTM, DSTM and DOTM and keep the smallest in-sample MSE.</summary>
    Auto,
}
