using Forecast.Chronos.Inference;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Inference;

/// <summary>How a call picks its backend from <see cref="ChronosInferenceOptions"/>, and what is opt-in.</summary>
public class InferenceOptionsTests
{
    [Theory]
    [InlineData(null, ChronosBackend.Auto)]
    [InlineData("", ChronosBackend.Auto)]
    [InlineData("auto", ChronosBackend.Auto)]
    [InlineData("Libtorch", ChronosBackend.Libtorch)]
    [InlineData(" KERNELS ", ChronosBackend.Kernels)]
    public void The_environment_variable_names_a_backend(string? value, ChronosBackend expected) =>
        ChronosInferenceOptions.ParseBackend(value).Should().Be(expected);

    [Fact]
    public void An_unknown_backend_name_is_an_error_naming_the_variable_and_the_choices()
    {
        var parse = () => ChronosInferenceOptions.ParseBackend("gpu");
        parse.Should().Throw<ArgumentException>().WithMessage("*FORECAST_CHRONOS_BACKEND='gpu'*auto, libtorch or kernels*");
    }

    [Fact]
    public void Process_wide_tunings_are_off_unless_asked_for()
    {
        var defaults = new ChronosInferenceOptions { Backend = ChronosBackend.Auto };
        defaults.TuneNativeAllocator.Should().BeFalse();
        defaults.CollectGarbageBetweenChunks.Should().BeFalse();
        var dedicated = ChronosInferenceOptions.ForDedicatedProcess();
        dedicated.TuneNativeAllocator.Should().BeTrue();
        dedicated.CollectGarbageBetweenChunks.Should().BeTrue();
    }

    [Theory]
    [InlineData(ChronosBackend.Auto, true, ScalarType.Float32, false, true)]
    [InlineData(ChronosBackend.Auto, false, ScalarType.Float32, false, false)]      // neither AVX-512 nor AVX2 + FMA
    [InlineData(ChronosBackend.Auto, true, ScalarType.BFloat16, false, true)]       // native bfloat16 kernels, or widened weights
    [InlineData(ChronosBackend.Auto, true, ScalarType.Float32, true, false)]        // autograd (training)
    [InlineData(ChronosBackend.Libtorch, true, ScalarType.Float32, false, false)]
    [InlineData(ChronosBackend.Kernels, true, ScalarType.BFloat16, false, true)]
    [InlineData(ChronosBackend.Kernels, true, ScalarType.Float32, true, false)]
    public void A_call_uses_the_kernels_where_they_apply(ChronosBackend backend, bool supported, ScalarType dtype, bool grad, bool expected) =>
        InferenceCall.UsesKernels(backend, supported, dtype, grad).Should().Be(expected);

    [Fact]
    public void Forcing_the_kernels_on_a_cpu_without_their_instructions_is_a_named_error()
    {
        var choose = () => InferenceCall.UsesKernels(ChronosBackend.Kernels, kernelsSupported: false, ScalarType.Float32, gradEnabled: false);
        choose.Should().Throw<NotSupportedException>().WithMessage("*kernels*FORECAST_CHRONOS_BACKEND*neither AVX-512 nor AVX2 with FMA*auto or libtorch*");
    }
}
