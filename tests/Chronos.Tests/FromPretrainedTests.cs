using System.Text.Json.Nodes;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Checkpoints;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests;

/// <summary>
/// <see cref="Chronos.FromPretrained"/> reads config.json, picks the family and returns its pipeline — from a folder,
/// an s3:// prefix or a hub id — with the same forecasts as the family's own loader; a config.json of an unknown
/// family is a named error.
/// </summary>
public sealed class FromPretrainedTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string, ChronosModelFamily, Type> Checkpoints => new()
    {
        { "chronos-t5", ChronosModelFamily.ChronosT5, typeof(ChronosT5Pipeline) },
        { "chronos-bolt", ChronosModelFamily.ChronosBolt, typeof(ChronosBoltPipeline) },
        { "chronos-2", ChronosModelFamily.Chronos2, typeof(Chronos2Pipeline) },
    };

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void A_folder_gives_the_pipeline_of_its_family_forecasting_as_the_family_loader(string model, ChronosModelFamily family, Type type)
    {
        TorchRuntime.SetThreads(2);
        var path = Fixtures.SetA(model, "model");
        using var pipeline = Chronos.FromPretrained(path, new ChronosLoadOptions { Inference = new ChronosInferenceOptions { Backend = ChronosBackend.Libtorch } });
        pipeline.Warn = _ => { };
        pipeline.Family.Should().Be(family);
        pipeline.Should().BeOfType(type);
        pipeline.Inference.Backend.Should().Be(ChronosBackend.Libtorch, "the load options' inference options are the pipeline's");
        var series = Fixtures.SeriesNames.Take(3).Select(name =>
            SafeTensorsFixture.Read(Fixtures.SetA(model, name + ".safetensors"))["context"][0].data<float>().ToArray()).ToList();
        using var scope = NewDisposeScope();

        using IChronosPipeline own = family switch
        {
            ChronosModelFamily.ChronosT5 => ChronosPretrained.LoadT5(path),
            ChronosModelFamily.ChronosBolt => ChronosPretrained.LoadBolt(path),
            _ => Chronos2Pretrained.Load(path),
        };
        own.Warn = _ => { };
        own.Inference = pipeline.Inference;
        if (pipeline is ChronosT5Pipeline t5)
            t5.Sampling = ((ChronosT5Pipeline)own).Sampling = new SamplingSettings { NumSamples = 1, TopK = 1 };
        var (quantiles, mean) = pipeline.PredictQuantiles(series, 24, [0.1f, 0.5f, 0.9f]);
        var (ownQuantiles, ownMean) = own.PredictQuantiles(series, 24, [0.1f, 0.5f, 0.9f]);

        quantiles.shape.Should().Equal(3, 24, 3);
        TensorAssert.Close(quantiles, ownQuantiles, "quantiles", rtol: 0, atol: 0);
        TensorAssert.Close(mean, ownMean, "mean", rtol: 0, atol: 0);
        using var embedding = pipeline.Embed(series);
        embedding.Embeddings.shape[0].Should().Be(3);
        embedding.Scale.shape.Should().Equal(3);
    }

    [Fact]
    public async Task A_hub_id_is_downloaded_into_the_cache_and_loaded()
    {
        using var hub = new LocalHubServer();
        hub.AddRepo("amazon/chronos-bolt-tiny", Fixtures.SetA("chronos-bolt", "model"));
        var options = new ChronosLoadOptions { Hub = new HuggingFaceHubOptions { Endpoint = hub.Endpoint, CacheDirectory = folder.Path } };

        using var pipeline = await Chronos.FromPretrainedAsync("amazon/chronos-bolt-tiny", options);

        pipeline.Family.Should().Be(ChronosModelFamily.ChronosBolt);
        pipeline.Quantiles.Should().HaveCount(9);
    }

    [Fact]
    public async Task An_s3_prefix_is_read_through_the_given_object_store()
    {
        var bucket = Path.Combine(folder.Path, "buckets", "models", "chronos2");
        Directory.CreateDirectory(bucket);
        foreach (var file in Directory.GetFiles(Fixtures.SetA("chronos-2", "model")))
            File.Copy(file, Path.Combine(bucket, Path.GetFileName(file)));
        var options = new ChronosLoadOptions
        {
            ObjectStore = new FolderObjectStore(Path.Combine(folder.Path, "buckets")),
            Hub = new HuggingFaceHubOptions { CacheDirectory = Path.Combine(folder.Path, "cache") },
        };

        using var pipeline = await Chronos.FromPretrainedAsync("s3://models/chronos2", options);

        pipeline.Family.Should().Be(ChronosModelFamily.Chronos2);
        pipeline.PredictionLength.Should().Be(1024);
    }

    [Fact]
    public void A_config_json_of_an_unknown_family_is_named_with_the_known_ones()
    {
        foreach (var file in Directory.GetFiles(Fixtures.SetA("chronos-bolt", "model")))
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        var config = JsonNode.Parse(File.ReadAllText(folder.File("config.json")))!.AsObject();
        config["architectures"] = new JsonArray("TimesFmModelForPrediction");
        config.Remove("chronos_pipeline_class");
        File.WriteAllText(folder.File("config.json"), config.ToJsonString());

        var load = () => Chronos.FromPretrained(folder.Path);

        load.Should().Throw<UnknownArchitectureException>()
            .WithMessage("*config.json: unknown architecture 'TimesFmModelForPrediction'*T5ForConditionalGeneration*ChronosBoltModelForForecasting*Chronos2Model*")
            .Which.Should().BeAssignableTo<CheckpointException>();
    }

    /// <summary>An object store over a local folder standing in for a bucket (a real implementation, not a mock).</summary>
    private sealed class FolderObjectStore(string bucketsRoot) : ICheckpointObjectStore
    {
        public IReadOnlyCollection<string> Schemes => ["s3"];

        public Task DownloadFolderAsync(Uri source, string targetFolder, CancellationToken cancellationToken)
        {
            var prefix = Path.Combine(bucketsRoot, source.Host, source.AbsolutePath.TrimStart('/'));
            foreach (var file in Directory.EnumerateFiles(prefix))
                File.Copy(file, Path.Combine(targetFolder, Path.GetFileName(file)), overwrite: true);
            return Task.CompletedTask;
        }
    }
}
