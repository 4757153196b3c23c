using System.Globalization;
using Forecast.Statistical;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Theta;

namespace Forecast.Trainer.Models;

/// <summary>A fitted classical model's parameters as one "name=value" list for models.csv.</summary>
internal static class StatisticalParameters
{
    public static string Describe(IFittedModel fit)
    {
        var pairs = new List<(string, double)>();
        switch (fit)
        {
            case EtsModel ets:
                pairs.Add(("alpha", ets.Parameters.Alpha));
                if (ets.Parameters.Beta is { } beta) pairs.Add(("beta", beta));
                if (ets.Parameters.Gamma is { } gamma) pairs.Add(("gamma", gamma));
                if (ets.Parameters.Phi is { } phi) pairs.Add(("phi", phi));
                break;
            case ArimaModel arima:
                pairs.AddRange(arima.Coefficients.Select(c => (c.Key, c.Value)));
                break;
            case ThetaModel theta:
                pairs.Add(("alpha", theta.Alpha));
                pairs.Add(("drift", theta.Drift));
                if (theta.ThetaCoefficient is { } coefficient) pairs.Add(("theta", coefficient));
                break;
        }
        return string.Join(' ', pairs.Select(p => p.Item1 + "=" + p.Item2.ToString("R", CultureInfo.InvariantCulture)));
    }
}
