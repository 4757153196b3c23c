using FluentAssertions;
using Forecast.Chronos.Chronos2;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// RoPE rotated in place on a projection before its heads are split gives the libtorch expression's result
/// (layers.py: apply_rotary_pos_emb) bit for bit, for all positions and for the last positions only (a forecast's
/// last block).
/// </summary>
public sealed class RotaryEmbeddingInPlaceTests
{
    [Theory]
    [InlineData(2, 11, 3, 8, 0)]
    [InlineData(1, 5, 2, 16, 6)]
    public void InPlaceRotationEqualsTheLibtorchExpressionBitForBit(int batch, int length, int heads, int headSize, int firstPosition)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = manual_seed(5);
        var rope = new RotaryEmbedding(headSize, 10000.0);
        var (cos, sin) = rope.Tables(firstPosition + length, ScalarType.Float32, CPU);
        var projected = randn(batch, length, heads * headSize, generator: generator) * 3;

        var split = projected.view(batch, length, heads, headSize).transpose(1, 2);
        var expected = RotaryEmbedding.Apply(split, cos[.., .., TensorIndex.Slice(firstPosition)], sin[.., .., TensorIndex.Slice(firstPosition)])
            .transpose(1, 2).reshape(batch, length, heads * headSize);
        var inPlace = projected.clone();
        RotaryEmbedding.CanApplyInPlace(inPlace, heads, firstPosition, cos, sin).Should().BeTrue();
        RotaryEmbedding.ApplyInPlace(inPlace, heads, firstPosition, cos, sin);

        inPlace.data<float>().ToArray().Should().Equal(expected.data<float>().ToArray());
    }

    [Fact]
    public void AProjectionThatDoesNotFitTheTablesIsLeftToLibtorch()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (cos, sin) = new RotaryEmbedding(8, 10000.0).Tables(4, ScalarType.Float32, CPU);
        RotaryEmbedding.CanApplyInPlace(zeros(1, 5, 16), 2, 0, cos, sin).Should().BeFalse("five positions, four in the tables");
        RotaryEmbedding.CanApplyInPlace(zeros(1, 16, 4).transpose(1, 2), 2, 0, cos, sin).Should().BeFalse("not contiguous");
        RotaryEmbedding.CanApplyInPlace(zeros(1, 4, 16, dtype: ScalarType.Float64), 2, 0, cos, sin).Should().BeFalse("float64");
    }
}
