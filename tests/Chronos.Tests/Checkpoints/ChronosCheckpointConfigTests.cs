using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

public class ChronosCheckpointConfigTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Config(string relative) => Path.Combine(Fixtures.Root, relative, "config.json");

    [Fact]
    public void Reads_the_T5_dummy_with_its_chronos_config()
    {
        var config = ChronosCheckpointConfig.Read(Config("dummy-models/dummy-chronos-model/model"));

        config.Family.Should().Be(ChronosModelFamily.ChronosT5);
        (config.DModel, config.DKv, config.DFf, config.NumLayers, config.NumDecoderLayers, config.NumHeads, config.VocabSize)
            .Should().Be((64, 16, 32, 1, 1, 1, 32));
        config.TorchDtype.Should().Be("bfloat16");
        config.TieWordEmbeddings.Should().BeTrue("the key is absent and T5Config defaults to tied");
        config.T5!.DecoderStartTokenId.Should().Be(0);
        config.T5.IsGatedActivation.Should().BeFalse();
        config.ChronosT5.Should().BeEquivalentTo(new ChronosConfig
        {
            TokenizerClass = "MeanScaleUniformBins", LowLimit = -15, HighLimit = 15, NTokens = 32, NSpecialTokens = 2,
            PadTokenId = 0, EosTokenId = 1, UseEosToken = true, ModelType = "seq2seq", ContextLength = 512,
            PredictionLength = 64, NumSamples = 20, Temperature = 1.0, TopK = 50, TopP = 1.0,
        });
    }

    [Fact]
    public void Reads_Bolt_and_Chronos2_configs()
    {
        var bolt = ChronosCheckpointConfig.Read(Config("set-a/chronos-bolt/model"));
        var chronos2 = ChronosCheckpointConfig.Read(Config("dummy-models/dummy-chronos2-model/model"));

        bolt.Family.Should().Be(ChronosModelFamily.ChronosBolt);
        bolt.Bolt!.Quantiles.Should().Equal(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f);
        (bolt.Bolt.ContextLength, bolt.Bolt.PredictionLength, bolt.Bolt.InputPatchSize, bolt.Bolt.UseRegToken).Should().Be((2048, 64, 16, true));
        bolt.RegTokenId.Should().Be(1);
        chronos2.Family.Should().Be(ChronosModelFamily.Chronos2);
        chronos2.Chronos2!.Quantiles.Should().HaveCount(21);
        chronos2.Chronos2.PredictionLength.Should().Be(1024);
        (chronos2.Chronos2.UseArcsinh, chronos2.Chronos2.TimeEncodingScale, chronos2.Chronos2Core!.RopeTheta).Should().Be((true, (int?)8192, 10000.0));
        (chronos2.Chronos2Core.DModel, chronos2.Chronos2Core.NumLayers, chronos2.Chronos2Core.NumHeads, chronos2.Chronos2Core.DKv).Should().Be((6, 2, 4, 4));
    }

    [Theory]
    [InlineData("dummy-models/dummy-chronos-bolt-model/model")]
    [InlineData("dummy-models/dummy-chronos2-model/model")]
    [InlineData("set-a/chronos-t5/model")]
    [InlineData("set-a/chronos-bolt/model")]
    [InlineData("set-a/chronos-2/model")]
    public void Writing_a_save_pretrained_config_back_gives_the_same_text(string relative)
    {
        var original = File.ReadAllText(Config(relative));

        ChronosCheckpointConfig.Parse(original).ToJson().Should().Be(original);
    }

    [Fact]
    public void A_hand_written_config_is_written_sorted_and_reads_back_the_same()
    {
        var original = ChronosCheckpointConfig.Read(Config("dummy-models/dummy-chronos-model/model"));

        original.Write(folder.Path);
        var text = File.ReadAllText(folder.File("config.json"));
        var reread = ChronosCheckpointConfig.Read(folder.File("config.json"));

        text.Should().StartWith("{\n  \"architectures\": [\n    \"T5ForConditionalGeneration\"\n  ],\n  \"chronos_config\": {\n")
            .And.Contain("\"layer_norm_epsilon\": 1e-06,").And.Contain("\"low_limit\": -15.0").And.EndWith("}\n");
        reread.Should().BeEquivalentTo(original, options => options.Excluding(c => c.Path));
    }

    [Fact]
    public void Edited_values_keep_Pythons_int_and_float_kinds()
    {
        var config = ChronosCheckpointConfig.Read(Config("set-a/chronos-bolt/model"));
        config.Bolt = config.Bolt! with { PredictionLength = 96 };
        config.T5 = config.T5! with { TieWordEmbeddings = false, LayerNormEpsilon = 1e-5 };

        var text = config.ToJson();

        text.Should().Contain("\"prediction_length\": 96,").And.Contain("\"tie_word_embeddings\": false,")
            .And.Contain("\"layer_norm_epsilon\": 1e-05,").And.Contain("\"dropout_rate\": 0.1,");
    }

    [Fact]
    public void An_unknown_architecture_is_named()
    {
        var text = File.ReadAllText(Config("set-a/chronos-t5/model")).Replace("T5ForConditionalGeneration", "GPT2LMHeadModel");

        FluentActions.Invoking(() => ChronosCheckpointConfig.Parse(text, "x/config.json"))
            .Should().Throw<UnknownArchitectureException>()
            .WithMessage("x/config.json: unknown architecture 'GPT2LMHeadModel'*ChronosBoltModelForForecasting*")
            .Which.Architecture.Should().Be("GPT2LMHeadModel");
    }

    [Theory]
    [InlineData("\"top_k\": 50", "\"top_k\": \"50\"", "chronos_config.top_k is \"50\", expected an integer")]
    [InlineData("\"n_tokens\": 4096,", "", "chronos_config.n_tokens = null: is missing")]
    [InlineData("\"d_model\": 64", "\"d_model\": 64.5", "d_model is 64.5, expected an integer")]
    [InlineData("\"feed_forward_proj\": \"relu\"", "\"feed_forward_proj\": \"gatedgelu-x-y\"", "feed_forward_proj")]
    [InlineData("\"vocab_size\": 4096", "\"vocab_size\": 4000", "vocab_size = 4000: is below chronos_config.n_tokens")]
    public void A_bad_field_is_named(string find, string replace, string message)
    {
        var text = File.ReadAllText(Config("set-a/chronos-t5/model"));
        text.Should().Contain(find);

        FluentActions.Invoking(() => ChronosCheckpointConfig.Parse(text.Replace(find, replace), "m/config.json"))
            .Should().Throw<CheckpointConfigException>().WithMessage($"m/config.json: *{message}*");
    }

    [Fact]
    public void A_pipeline_class_that_disagrees_with_the_architecture_is_an_error()
    {
        var text = File.ReadAllText(Config("set-a/chronos-bolt/model")).Replace("\"ChronosBoltPipeline\"", "\"Chronos2Pipeline\"");

        FluentActions.Invoking(() => ChronosCheckpointConfig.Parse(text))
            .Should().Throw<CheckpointConfigException>().WithMessage("*chronos_pipeline_class*ChronosBoltPipeline*");
    }

    [Fact]
    public void A_bfloat16_torch_dtype_over_float32_tensors_loads_float32()
    {
        var folderPath = Path.Combine(Fixtures.Root, "dummy-models/dummy-chronos-model/model");
        var config = ChronosCheckpointConfig.ReadFolder(folderPath);
        using var checkpoint = SafetensorsCheckpoint.Open(folderPath, config.TieWordEmbeddings);
        var (file, info) = checkpoint.Get("lm_head.weight", [config.VocabSize, config.DModel]);

        config.TorchDtype.Should().Be("bfloat16");
        info.DType.Should().Be(SafetensorsDType.Float32, "the stored dtype wins over the config's torch_dtype");
        using var tensor = SafetensorsTorch.ToTensor(file, info);
        tensor.dtype.Should().Be(TorchSharp.torch.ScalarType.Float32);
        tensor[0, 0].item<float>().Should().Be(0.058837890625f);
    }
}
