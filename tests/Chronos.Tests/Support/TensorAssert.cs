using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Support;

/// <summary>
/// Tolerance comparisons from the reference README: |actual − expected| ≤ atol·m + rtol·|expected| where m is the
/// magnitude (max |expected|, at least 1) of the tensor, so large-scale series are compared relatively.
/// </summary>
internal static class TensorAssert
{
    public static void Close(Tensor actual, Tensor expected, string what, double rtol = 1e-4, double atol = 1e-4)
    {
        actual.shape.Should().Equal(expected.shape, $"{what} shape");
        using var a = actual.detach().to_type(ScalarType.Float64).cpu();
        using var e = expected.detach().to_type(ScalarType.Float64).cpu();
        using var bothNaN = a.isnan().logical_and(e.isnan());
        using var diff = (a - e).abs().masked_fill(bothNaN, 0);
        var magnitude = Math.Max(1.0, e.nan_to_num().abs().max().item<double>());
        using var allowed = e.abs().nan_to_num() * rtol + atol * magnitude;
        using var excess = diff - allowed;
        var worst = excess.max().item<double>();
        if (worst > 0 || double.IsNaN(worst))
        {
            var index = excess.nan_to_num(double.PositiveInfinity).argmax().item<long>();
            var flatA = a.flatten()[index].item<double>();
            var flatE = e.flatten()[index].item<double>();
            throw new Xunit.Sdk.XunitException(
                $"{what}: element {index} is {flatA:R}, expected {flatE:R} (|diff| {Math.Abs(flatA - flatE):G4}, "
                + $"allowed {rtol:G2}·|e| + {atol:G2}·{magnitude:G4}); max |diff| {diff.max().item<double>():G4}");
        }
    }

    public static void Equal(Tensor actual, Tensor expected, string what)
    {
        actual.shape.Should().Equal(expected.shape, $"{what} shape");
        using var a = actual.to_type(ScalarType.Int64).cpu();
        using var e = expected.to_type(ScalarType.Int64).cpu();
        using var differ = a.ne(e);
        var count = differ.sum().item<long>();
        if (count > 0)
        {
            var index = differ.flatten().to_type(ScalarType.Int64).argmax().item<long>();
            throw new Xunit.Sdk.XunitException(
                $"{what}: {count} element(s) differ; first at {index}: {a.flatten()[index].item<long>()} vs {e.flatten()[index].item<long>()}");
        }
    }
}
