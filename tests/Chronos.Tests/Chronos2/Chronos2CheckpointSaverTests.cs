using System.Text.Json;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Tests.Checkpoints;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>Save → load round trip of a Chronos-2 checkpoint: same tensors, same config fields, same forecasts.</summary>
public sealed class Chronos2CheckpointSaverTests
{
    [Fact]
    public void Saved_checkpoint_loads_back_with_identical_forecasts_and_the_reference_layout()
    {
        using var original = Chronos2Fixtures.LoadSetA();
        using var temp = new TempFolder();
        var folder = temp.Path;
        Chronos2CheckpointSaver.Save(original.Model, folder);
        using var reloaded = Chronos2Pretrained.Load(folder);

        var expectedNames = SafeTensorsFixture.Read(Path.Combine(Chronos2Fixtures.SetAModel, "model.safetensors")).Keys;
        SafeTensorsFixture.Read(Path.Combine(folder, "model.safetensors")).Keys.Should().BeEquivalentTo(expectedNames);

        var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json"))).RootElement;
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Chronos2Fixtures.SetAModel, "config.json"))).RootElement;
        foreach (var field in new[] { "d_model", "d_kv", "d_ff", "num_layers", "num_heads", "vocab_size", "reg_token_id", "rope_theta" })
            written.GetProperty(field).GetDouble().Should().Be(reference.GetProperty(field).GetDouble(), field);
        written.GetProperty("architectures")[0].GetString().Should().Be("Chronos2Model");
        written.GetProperty("chronos_pipeline_class").GetString().Should().Be("Chronos2Pipeline");
        var quantiles = written.GetProperty("chronos_config").GetProperty("quantiles").EnumerateArray().Select(q => q.GetRawText());
        quantiles.Should().Equal(reference.GetProperty("chronos_config").GetProperty("quantiles").EnumerateArray().Select(q => q.GetRawText()));

        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden("sine.safetensors");
        var series = Chronos2Fixtures.Rows(golden["context"]);
        TensorAssert.Close(reloaded.Predict(series, 64)[0], original.Predict(series, 64)[0], "round-trip forecast", rtol: 0, atol: 0);
    }
}
