using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Ets;

/// <summary>
/// Forms fitted together — their likelihood recursions as lanes of vectors, or two and three in scalar loops — are the
/// forms fitted one by one to the last bit: every error/trend/season/damping combination, multiplicative trends (which
/// run alone) included.
/// </summary>
public class PairedEstimationTests
{
    [Theory]
    [InlineData("rdatasets_monthly", true)]
    [InlineData("rdatasets_yearly", true)]
    [InlineData("rdatasets_monthly", false)]
    [InlineData("rdatasets_yearly", false)]
    [InlineData("exchange_rate", true)] // non-seasonal, 200+ points: the lanes also follow reflections ahead
    public void EveryFormFittedTogetherIsTheFormFittedAlone(string name, bool vectorLanes)
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, name, GoldenComparison.DataFile(name));
        var y = data.Series[0].Context(data.MaxContext);
        int m = data.SeasonLength;
        var settings = new EtsSettings([.. EtsEstimation.DefaultLower], [.. EtsEstimation.DefaultUpper], EtsCriterion.Likelihood, 3,
            EtsBounds.Both, 2000);
        var components = new[] { EtsComponent.None, EtsComponent.Additive, EtsComponent.Multiplicative };
        var forms = (from error in components.Skip(1)
                     from trend in components
                     from season in m > 1 ? components : components.Take(1)
                     from damped in new[] { false, true }
                     where trend != EtsComponent.None || !damped
                     select new EtsForm(error, trend, damped, season)).ToList();

        var fits = new EtsModel?[forms.Count];
        var errors = new Exception?[forms.Count];
        PairedEstimation.FitAll(y, forms, m, settings, fits, errors, vectorLanes);

        for (int i = 0; i < forms.Count; i++)
        {
            EtsModel? alone = null;
            Exception? error = null;
            try
            {
                alone = EtsEstimation.Fit(y, forms[i], m, settings);
            }
            catch (Exception ex) when (ex is ModelFitException or ArgumentException)
            {
                error = ex;
            }
            (errors[i]?.Message).Should().Be(error?.Message, forms[i].ToString());
            if (alone is null)
            {
                fits[i].Should().BeNull(forms[i].ToString());
                continue;
            }
            fits[i].Should().NotBeNull(forms[i].ToString());
            fits[i]!.LogLikelihood.Should().Be(alone.LogLikelihood, forms[i].ToString());
            fits[i]!.InitialStates.Should().Equal(alone.InitialStates, forms[i].ToString());
            fits[i]!.Forecast(data.Horizon).Mean.Should().Equal(alone.Forecast(data.Horizon).Mean, forms[i].ToString());
        }
    }
}
