using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

public class SafetensorsCorruptFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private SafetensorsFormatException OpenFails(string path) =>
        FluentActions.Invoking(() => SafetensorsFile.Open(path)).Should().Throw<SafetensorsFormatException>().Which;

    [Fact]
    public void A_file_cut_short_in_its_data_is_truncated_and_names_the_cut_tensor()
    {
        var original = File.ReadAllBytes(Fixtures.SetA("chronos-t5", "model", "model.safetensors"));
        var path = folder.File("cut.safetensors");
        File.WriteAllBytes(path, original[..(original.Length - 100)]);

        var error = OpenFails(path);

        error.Problem.Should().Be(SafetensorsProblem.Truncated);
        error.TensorName.Should().Be("shared.weight", "it is the last tensor of the file");
        error.Message.Should().Contain("cut.safetensors").And.Contain("truncated");
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_truncated()
    {
        var path = folder.File("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        OpenFails(path).Problem.Should().Be(SafetensorsProblem.Truncated);
    }

    [Fact]
    public void A_file_cut_inside_its_header_has_a_header_length_beyond_the_file()
    {
        var original = File.ReadAllBytes(Fixtures.SetA("chronos-bolt", "model", "model.safetensors"));
        var path = folder.File("cut-header.safetensors");
        File.WriteAllBytes(path, original[..1000]);

        var error = OpenFails(path);

        error.Problem.Should().Be(SafetensorsProblem.HeaderLengthBeyondFile);
        error.Message.Should().Contain("6504").And.Contain("1000-byte");
    }

    [Fact]
    public void A_header_length_above_100_MB_is_rejected_before_reading()
    {
        var bytes = new byte[64];
        BitConverter.TryWriteBytes(bytes, ulong.MaxValue).Should().BeTrue();
        var path = folder.File("huge.safetensors");
        File.WriteAllBytes(path, bytes);

        OpenFails(path).Problem.Should().Be(SafetensorsProblem.HeaderLengthBeyondFile);
    }

    [Fact]
    public void Overlapping_offsets_name_both_tensors()
    {
        var path = RawSafetensors.Write(folder,
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12);

        var error = OpenFails(path);

        error.Problem.Should().Be(SafetensorsProblem.OverlappingOffsets);
        error.Message.Should().Contain("'b'").And.Contain("'a'");
    }

    [Fact]
    public void Offsets_past_the_data_are_truncation()
    {
        var path = RawSafetensors.Write(folder, """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8);

        var error = OpenFails(path);

        error.Problem.Should().Be(SafetensorsProblem.Truncated);
        error.TensorName.Should().Be("a");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "end before begin")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "contiguous")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "needs 12")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "must end at the end of the file")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[-1,8]}}""", 8, "not a non-negative integer")]
    public void Out_of_range_offsets_are_named(string header, int dataLength, string why)
    {
        var path = RawSafetensors.Write(folder, header, dataLength);

        var error = OpenFails(path);

        error.Problem.Should().Be(SafetensorsProblem.OffsetsOutOfRange);
        error.Message.Should().Contain(why);
    }

    [Fact]
    public void An_unknown_dtype_is_named_with_the_known_ones()
    {
        var path = RawSafetensors.Write(folder, """{"a":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}""", 8);

        var error = OpenFails(path);

        error.Problem.Should().Be(SafetensorsProblem.UnknownDType);
        error.Message.Should().Contain("'F31'").And.Contain("BF16");
        error.TensorName.Should().Be("a");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"a":{"dtype":"F32","data_offsets":[0,8]}}""")]
    [InlineData("""{"__metadata__":{"format":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""")]
    public void A_malformed_header_is_invalid(string header)
    {
        var path = RawSafetensors.Write(folder, header, 8);

        OpenFails(path).Problem.Should().Be(SafetensorsProblem.InvalidHeader);
    }

    [Fact]
    public void A_file_of_only_a_header_has_no_tensors()
    {
        var path = RawSafetensors.Write(folder, """{"__metadata__":{"format":"pt"}}""", 0);

        using var file = SafetensorsFile.Open(path);

        file.Header.Tensors.Should().BeEmpty();
        file.Header.Metadata!["format"].Should().Be("pt");
    }
}
