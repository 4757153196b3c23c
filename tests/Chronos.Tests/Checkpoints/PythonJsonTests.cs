using System.Text.Json.Nodes;
using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.Tests.Checkpoints;

public class PythonJsonTests
{
    // Expected strings are CPython's repr(float) for the same doubles.
    [Theory]
    [InlineData(1e-6, "1e-06")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.99, "0.99")]
    [InlineData(1.0, "1.0")]
    [InlineData(-15.0, "-15.0")]
    [InlineData(10000.0, "10000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456789012345.6, "123456789012345.6")]
    [InlineData(1.2345678901234568e17, "1.2345678901234568e+17")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(2.5e-300, "2.5e-300")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(0.0, "0.0")]
    public void Floats_are_written_as_Python_repr(double value, string expected) =>
        PythonJson.FloatRepr(value).Should().Be(expected);

    [Fact]
    public void Objects_are_sorted_indented_and_ascii_escaped()
    {
        var node = JsonNode.Parse("""{"b": [1, 2.5, []], "a": {"é": "x\"y"}, "c": {}}""");

        PythonJson.Serialize(node).Should().Be("{\n  \"a\": {\n    \"\\u00e9\": \"x\\\"y\"\n  },\n  \"b\": [\n    1,\n    2.5,\n    []\n  ],\n  \"c\": {}\n}");
    }
}
