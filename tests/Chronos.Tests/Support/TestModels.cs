using System.Text.Json;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.T5;

namespace Forecast.Chronos.Tests.Support;

/// <summary>Builds models from fixture checkpoints.</summary>
internal static class TestModels
{
    public static T5Config ReadT5Config(string configPath)
    {
        var json = JsonDocument.Parse(File.ReadAllText(configPath)).RootElement;
        int Int(string name, int fallback) => json.TryGetProperty(name, out var v) ? v.GetInt32() : fallback;
        return new T5Config
        {
            VocabSize = Int("vocab_size", 32128),
            DModel = Int("d_model", 512),
            DKv = Int("d_kv", 64),
            DFf = Int("d_ff", 2048),
            NumLayers = Int("num_layers", 6),
            NumDecoderLayers = Int("num_decoder_layers", Int("num_layers", 6)),
            NumHeads = Int("num_heads", 8),
            RelativeAttentionNumBuckets = Int("relative_attention_num_buckets", 32),
            RelativeAttentionMaxDistance = Int("relative_attention_max_distance", 128),
            LayerNormEpsilon = json.TryGetProperty("layer_norm_epsilon", out var eps) ? eps.GetDouble() : 1e-6,
            FeedForwardProj = json.TryGetProperty("feed_forward_proj", out var ff) ? ff.GetString()! : "relu",
            TieWordEmbeddings = !json.TryGetProperty("tie_word_embeddings", out var tie) || tie.GetBoolean(),
            DecoderStartTokenId = Int("decoder_start_token_id", 0),
            PadTokenId = Int("pad_token_id", 0),
            EosTokenId = Int("eos_token_id", 1),
        };
    }

    public static ChronosBoltModel LoadBolt(string modelDirectory)
    {
        TorchRuntime.SetThreads(2);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var chronos = JsonDocument.Parse(File.ReadAllText(configPath)).RootElement.GetProperty("chronos_config");
        var boltConfig = new ChronosBoltConfig
        {
            ContextLength = chronos.GetProperty("context_length").GetInt32(),
            PredictionLength = chronos.GetProperty("prediction_length").GetInt32(),
            InputPatchSize = chronos.GetProperty("input_patch_size").GetInt32(),
            InputPatchStride = chronos.GetProperty("input_patch_stride").GetInt32(),
            Quantiles = chronos.GetProperty("quantiles").EnumerateArray().Select(q => (float)q.GetDouble()).ToArray(),
            UseRegToken = chronos.TryGetProperty("use_reg_token", out var reg) && reg.GetBoolean(),
        };
        var model = new ChronosBoltModel(ReadT5Config(configPath), boltConfig);
        var weightsPath = Path.Combine(modelDirectory, "model.safetensors");
        model.LoadWeights(SafeTensorsFixture.Read(weightsPath), weightsPath);
        model.eval();
        return model;
    }

    public static ChronosConfig ReadChronosConfig(string configPath)
    {
        var chronos = JsonDocument.Parse(File.ReadAllText(configPath)).RootElement.GetProperty("chronos_config");
        var kwargs = chronos.GetProperty("tokenizer_kwargs");
        return new ChronosConfig
        {
            TokenizerClass = chronos.GetProperty("tokenizer_class").GetString()!,
            LowLimit = kwargs.GetProperty("low_limit").GetDouble(),
            HighLimit = kwargs.GetProperty("high_limit").GetDouble(),
            NTokens = chronos.GetProperty("n_tokens").GetInt32(),
            NSpecialTokens = chronos.GetProperty("n_special_tokens").GetInt32(),
            PadTokenId = chronos.GetProperty("pad_token_id").GetInt32(),
            EosTokenId = chronos.GetProperty("eos_token_id").GetInt32(),
            UseEosToken = chronos.GetProperty("use_eos_token").GetBoolean(),
            ModelType = chronos.GetProperty("model_type").GetString()!,
            ContextLength = chronos.GetProperty("context_length").GetInt32(),
            PredictionLength = chronos.GetProperty("prediction_length").GetInt32(),
            NumSamples = chronos.GetProperty("num_samples").GetInt32(),
            Temperature = chronos.GetProperty("temperature").GetDouble(),
            TopK = chronos.GetProperty("top_k").GetInt32(),
            TopP = chronos.GetProperty("top_p").GetDouble(),
        };
    }

    public static ChronosT5Pipeline LoadT5Pipeline(string modelDirectory) =>
        new(LoadT5(modelDirectory), ReadChronosConfig(Path.Combine(modelDirectory, "config.json")));

    public static ChronosT5Model LoadT5(string modelDirectory)
    {
        TorchRuntime.SetThreads(2);
        var model = new ChronosT5Model(ReadT5Config(Path.Combine(modelDirectory, "config.json")));
        var weightsPath = Path.Combine(modelDirectory, "model.safetensors");
        model.LoadWeights(SafeTensorsFixture.Read(weightsPath), weightsPath);
        model.eval();
        return model;
    }
}
