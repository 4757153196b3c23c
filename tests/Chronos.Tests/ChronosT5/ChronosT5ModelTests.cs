using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.ChronosT5;

/// <summary>The T5 network against set-a golden tensors (encoder states, first-step and teacher-forced logits).</summary>
public class ChronosT5ModelTests
{
    private static readonly Lazy<ChronosT5Model> Model = new(() => TestModels.LoadT5(Fixtures.SetA("chronos-t5", "model")));

    public static TheoryData<string> Series => new(Fixtures.SeriesNames);

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Encoder_last_hidden_state_matches_the_reference(string series, ChronosBackend backend)
    {
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", series + ".safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var inference = Backends.Open(backend);

        var hidden = Model.Value.Encode(golden["token_ids"], golden["attention_mask"], inference);

        TensorAssert.Close(hidden, golden["encoder_last_hidden_state"], $"{series} encoder_last_hidden_state");
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void First_step_and_teacher_forced_logits_match_the_reference(string series)
    {
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", series + ".safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = golden["token_ids"];
        var mask = golden["attention_mask"];

        var first = Model.Value.forward(ids, mask, zeros(1, 1, dtype: ScalarType.Int64));
        var forced = Model.Value.forward(ids, mask, golden["teacher_forced_decoder_input_ids"]);
        var greedyPath = Model.Value.forward(ids, mask, golden["greedy_path_decoder_input_ids"]);

        TensorAssert.Close(first, golden["first_step_logits"], $"{series} first_step_logits");
        TensorAssert.Close(forced, golden["teacher_forced_logits"], $"{series} teacher_forced_logits");
        TensorAssert.Close(greedyPath, golden["greedy_path_logits"], $"{series} greedy_path_logits");
    }
}
