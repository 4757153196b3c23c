using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Weights;
using Forecast.Chronos.ChronosT5;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Loading;

/// <summary>
/// Builds pipelines from a local checkpoint folder (config.json + model.safetensors), as
/// BaseChronosPipeline.from_pretrained does: the family comes from config.json, the weights are loaded by name and
/// checked (a missing tensor or a shape mismatch names the tensor).
/// </summary>
public static class ChronosPretrained
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";

    /// <param name="dtype">
    /// Compute dtype: float32 by default, as HF from_pretrained without torch_dtype (config.json's torch_dtype is not
    /// applied, it may even disagree with the stored tensors); bfloat16 is the opt-in fast path on CPUs with AVX512-BF16.
    /// </param>
    public static ChronosBoltPipeline LoadBolt(string directory, ScalarType dtype = ScalarType.Float32)
    {
        var config = ReadConfig(directory, ChronosModelKind.Bolt);
        TorchRuntime.EnsureLoaded();
        var model = new ChronosBoltModel(config.T5, config.Bolt!);
        LoadWeights(directory, model, ChronosBoltModel.IgnorableTensors);
        UseDType(model, dtype);
        return new ChronosBoltPipeline(model);
    }

    /// <inheritdoc cref="LoadBolt(string, ScalarType)"/>
    public static ChronosT5Pipeline LoadT5(string directory, ScalarType dtype = ScalarType.Float32)
    {
        var config = ReadConfig(directory, ChronosModelKind.T5);
        TorchRuntime.EnsureLoaded();
        var model = new ChronosT5Model(config.T5);
        LoadWeights(directory, model, model.IgnorableTensors);
        ConvertTo(model, dtype);
        return new ChronosT5Pipeline(model, config.Chronos!);
    }

    /// <summary>As <see cref="LoadBolt(string, ScalarType)"/> with the weights from another source (a reader of model.safetensors).</summary>
    public static ChronosBoltPipeline LoadBolt(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32)
    {
        var config = ReadConfig(directory, ChronosModelKind.Bolt);
        TorchRuntime.EnsureLoaded();
        var model = new ChronosBoltModel(config.T5, config.Bolt!);
        LoadWeights(directory, readTensors, model.LoadWeights, model);
        UseDType(model, dtype);
        return new ChronosBoltPipeline(model);
    }

    /// <summary>As <see cref="LoadT5(string, ScalarType)"/> with the weights from another source.</summary>
    public static ChronosT5Pipeline LoadT5(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32)
    {
        var config = ReadConfig(directory, ChronosModelKind.T5);
        TorchRuntime.EnsureLoaded();
        var model = new ChronosT5Model(config.T5);
        LoadWeights(directory, readTensors, model.LoadWeights, model);
        ConvertTo(model, dtype);
        return new ChronosT5Pipeline(model, config.Chronos!);
    }

    /// <summary>Chronos-Bolt: only the T5 stacks change dtype (ChronosBoltModel.UseStackDType).</summary>
    private static void UseDType(ChronosBoltModel model, ScalarType dtype)
    {
        CheckDType(dtype);
        if (dtype != ScalarType.Float32)
            model.UseStackDType(dtype);
    }

    private static void CheckDType(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Models run in float32, bfloat16 or float16, not {dtype}.", nameof(dtype));
    }

    private static void ConvertTo(nn.Module model, ScalarType dtype)
    {
        CheckDType(dtype);
        if (dtype != ScalarType.Float32)
            model.to(dtype);
    }

    private static ChronosModelConfig ReadConfig(string directory, ChronosModelKind expected)
    {
        var config = ChronosModelConfig.Read(Path.Combine(directory, ConfigFileName));
        if (config.Kind != expected)
            throw new InvalidDataException(
                $"{config.Path}: architectures[0] '{config.Architecture}' is a Chronos-{config.Kind} model, not Chronos-{expected}.");
        return config;
    }

    private static void LoadWeights(string directory, nn.Module model, IReadOnlyCollection<string> ignorable)
    {
        try
        {
            using var file = SafetensorsFile.Open(Path.Combine(directory, WeightsFileName));
            StateDictLoader.Load(model, file, ignorable);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static void LoadWeights(string directory, TensorFileReader readTensors,
        Action<IReadOnlyDictionary<string, Tensor>, string> load, nn.Module model)
    {
        var path = Path.Combine(directory, WeightsFileName);
        try
        {
            var tensors = readTensors(path);
            try
            {
                load(tensors, path);
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                    tensor.Dispose();
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
