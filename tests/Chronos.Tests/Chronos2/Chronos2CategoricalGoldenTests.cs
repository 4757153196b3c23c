using System.Text.Json;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// set-a chronos-2/categorical.json, made by the real reference (bench/Chronos/python/make_categorical_golden.py): calls
/// with a numeric covariate, a past-only categorical with missing values and a known-future categorical whose future has
/// a missing value and a category no history had — univariate tasks (target encoding) and two-target tasks (ordinal
/// encoding). The encoded rows and the forecasts must match the reference's; horizons, shapes and levels come from the file.
/// </summary>
public sealed class Chronos2CategoricalGoldenTests : IClassFixture<Chronos2ModelGoldenTests.Shared>
{
    private static readonly JsonElement Golden =
        JsonDocument.Parse(File.ReadAllText(Fixtures.SetA("chronos-2", "categorical.json"))).RootElement;

    private readonly Chronos2Pipeline pipeline;

    public Chronos2CategoricalGoldenTests(Chronos2ModelGoldenTests.Shared shared) => pipeline = shared.Pipeline;

    public static TheoryData<string> Calls => [.. Golden.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Calls))]
    public void Categorical_columns_are_encoded_as_the_reference_encodes_them(string name)
    {
        var call = Call(name);
        var encoded = CategoricalCovariates.Encode(Inputs(call), allowUnseen: true);
        var tasks = call.GetProperty("tasks").EnumerateArray().ToList();
        for (var i = 0; i < tasks.Count; i++)
        {
            foreach (var column in tasks[i].GetProperty("encoded_past").EnumerateObject())
                encoded[i].PastCovariates[column.Name].Should().Equal(Floats(column.Value), SameFloat, $"task {i} past '{column.Name}'");
            foreach (var column in tasks[i].GetProperty("encoded_future").EnumerateObject())
                encoded[i].FutureCovariates[column.Name].Should().Equal(Floats(column.Value), SameFloat, $"task {i} future '{column.Name}'");
            encoded[i].PastCategoricals.Should().BeEmpty();
        }
    }

    [Theory]
    [Backend(ChronosBackend.Libtorch)]
    [Backend(ChronosBackend.Kernels)]
    public void Forecasts_with_categorical_covariates_match_the_reference(ChronosBackend backend)
    {
        pipeline.Inference = Backends.Options(backend);
        foreach (var call in Golden.GetProperty("calls").EnumerateArray())
        {
            var name = call.GetProperty("name").GetString();
            var forecasts = pipeline.Predict(Inputs(call), Horizon(call), new Chronos2PredictOptions { AllowUnseenCategories = true });
            var tasks = call.GetProperty("tasks").EnumerateArray().ToList();
            forecasts.Should().HaveCount(tasks.Count);
            for (var i = 0; i < tasks.Count; i++)
                TensorAssert.Close(forecasts[i], Expected(tasks[i]), $"{name} task {i}");
        }
    }

    [Fact]
    public void A_table_with_categorical_columns_forecasts_as_the_reference()
    {
        var call = Call("target_encoding");
        var horizon = Horizon(call);
        var inputs = Inputs(call);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        List<string> ids = [], futureIds = [];
        List<DateTime> stamps = [], futureStamps = [];
        for (var i = 0; i < inputs.Count; i++)
        {
            var length = inputs[i].HistoryLength;
            ids.AddRange(Enumerable.Repeat($"s{i}", length));
            stamps.AddRange(Enumerable.Range(0, length).Select(t => start.AddDays(t)));
            futureIds.AddRange(Enumerable.Repeat($"s{i}", horizon));
            futureStamps.AddRange(Enumerable.Range(length, horizon).Select(t => start.AddDays(t)));
        }
        var history = new SeriesFrame(ids, stamps, [.. inputs.SelectMany(t => t.Target[0])])
            .With("temp", (IReadOnlyList<float>)[.. inputs.SelectMany(t => t.PastCovariates["temp"])])
            .With("store", (IReadOnlyList<string?>)[.. inputs.SelectMany(t => t.PastCategoricals["store"])])
            .With("promo", (IReadOnlyList<string?>)[.. inputs.SelectMany(t => t.PastCategoricals["promo"])]);
        var future = new SeriesFrame(futureIds, futureStamps)
            .With("promo", (IReadOnlyList<string?>)[.. inputs.SelectMany(t => t.FutureCategoricals["promo"])]);
        var levels = call.GetProperty("quantiles").EnumerateArray().Select(q => q.GetSingle()).ToArray();
        pipeline.Inference = new ChronosInferenceOptions();

        var table = pipeline.PredictFrame(history, horizon, levels, new FrameForecastOptions { Future = future, AllowUnseenCategories = true });

        var tasks = call.GetProperty("tasks").EnumerateArray().ToList();
        using var expected = cat(tasks.Select(t => Expected(t)[0].transpose(0, 1)).ToArray(), 0);   // (series × H, Q)
        using var actual = stack(table.Quantiles.Select(column => tensor(column.ToArray())).ToArray(), 1);
        TensorAssert.Close(actual, expected, "predict_df quantiles");
    }

    [Fact]
    public void A_future_category_no_history_has_is_a_named_error_unless_allowed()
    {
        var call = Call("target_encoding");
        var act = () => pipeline.Predict(Inputs(call), Horizon(call));
        act.Should().Throw<UnseenCategoryException>().WithMessage("*FutureCategoricals[\"promo\"]*'clearance'*AllowUnseenCategories*");
    }

    private static JsonElement Call(string name) =>
        Golden.GetProperty("calls").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static int Horizon(JsonElement call) => call.GetProperty("prediction_length").GetInt32();

    private static List<Chronos2Input> Inputs(JsonElement call) =>
        [.. call.GetProperty("tasks").EnumerateArray().Select(task => new Chronos2Input(
            [.. task.GetProperty("target").EnumerateArray().Select(Floats)],
            Columns(task.GetProperty("past_numeric"), Floats),
            null,
            Columns(task.GetProperty("past_categorical"), Strings),
            Columns(task.GetProperty("future_categorical"), Strings)))];

    private static Tensor Expected(JsonElement task) =>
        tensor(Floats(task.GetProperty("forecast")), [.. task.GetProperty("forecast_shape").EnumerateArray().Select(d => d.GetInt64())]);

    private static Dictionary<string, T> Columns<T>(JsonElement columns, Func<JsonElement, T> read) =>
        columns.EnumerateObject().ToDictionary(c => c.Name, c => read(c.Value));

    private static float[] Floats(JsonElement values) =>
        [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? float.NaN : v.GetSingle())];

    private static string?[] Strings(JsonElement values) =>
        [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString())];

    // The reference computes the encoding in float64 and rounds once to float32, as the port does.
    private static bool SameFloat(float actual, float expected) =>
        float.IsNaN(expected) ? float.IsNaN(actual) : Math.Abs(actual - expected) <= 1e-6f * Math.Max(1f, Math.Abs(expected));
}
