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

    [Fact]
    public void StringsThatLookLikeOtherTypesStayStrings()
    {
        var values = new Dictionary<string, object?> { ["column"] = "y", ["id"] = "007", ["flag"] = "true", ["empty"] = "", ["none"] = null, ["text"] = "AirPassengers" };
        string yaml = YamlText.Serialize(values);

        yaml.Should().Contain("column: \"y\"").And.Contain("id: \"007\"").And.Contain("none: null").And.Contain("text: AirPassengers");
        var back = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(yaml);
        back["id"].Should().Be("007");
        back["flag"].Should().Be("true");
        back["empty"].Should().Be("");
    }

    private sealed record Report(string Name, IReadOnlyList<int> Lengths, IReadOnlyDictionary<int, int> Seasons, IReadOnlyList<Report> Children);

    [Fact]
    public void RecordsListsAndDictionariesNest()
    {
        var report = new Report("all", [1, 2], new Dictionary<int, int> { [12] = 3 }, [new Report("child", [], new Dictionary<int, int>(), [])]);
        YamlText.Serialize(report).Should().Be("""
            name: all
            lengths: [1, 2]
            seasons:
              "12": 3
            children:
            - name: child
              lengths: []
              seasons: {}
              children: []

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
