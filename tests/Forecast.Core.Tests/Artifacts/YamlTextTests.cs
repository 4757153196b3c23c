using Forecast.Core.Artifacts;
using YamlDotNet.Serialization;

namespace Forecast.Core.Tests.Artifacts;

public class YamlTextTests
{
    [Fact]
    public void NumbersRoundTripIncludingNaNAndInfinity()
    {
        var values = new Dictionary<string, double> { ["mase"] = 1.0427423244862772, ["mape"] = double.NaN, ["ratio"] = double.PositiveInfinity };
        string yaml = YamlText.Serialize(new Dictionary<string, object> { ["metrics"] = values });

        var back = new DeserializerBuilder().Build().Deserialize<Dictionary<string, Dictionary<string, double>>>(yaml);
        back["metrics"]["mase"].Should().Be(1.0427423244862772);
        double.IsNaN(back["metrics"]["mape"]).Should().BeTrue();
        back["metrics"]["ratio"].Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void PropertiesAreSnakeCase()
    {
        YamlText.Serialize(new { SeriesIn = 3, FillMissing = "linear" }).Should().Be("series_in: 3\nfill_missing: linear\n");
    }
}
