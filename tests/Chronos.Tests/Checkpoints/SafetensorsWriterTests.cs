using System.Text;
using System.Text.Json;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

public class SafetensorsWriterTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> ReferenceFiles => new()
    {
        "dummy-models/dummy-chronos-model/model/model.safetensors",
        "dummy-models/dummy-chronos-bolt-model/model/model.safetensors",
        "dummy-models/dummy-chronos2-model/model/model.safetensors",
        "set-a/chronos-t5/model/model.safetensors",
        "set-a/chronos-bolt/model/model.safetensors",
        "set-a/chronos-2/model/model.safetensors",
        "set-a/chronos-t5/sine.safetensors", // I64 + F32 + U8, no __metadata__: exercises the dtype order
        "set-a/chronos-bolt/train_step.safetensors",
        "set-a/inputs.safetensors",
    };

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void Rewriting_a_reference_file_gives_identical_bytes(string relative)
    {
        var original = Path.Combine(Fixtures.Root, relative);
        var copy = folder.File("copy.safetensors");
        using (var file = SafetensorsFile.Open(original))
            SafetensorsWriter.Write(copy, file, file.Names.Reverse());

        File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(original));
    }

    [Fact]
    public void Saving_the_old_T5_dummy_keeps_only_shared_weight_as_transformers_4_46_does()
    {
        using var file = SafetensorsFile.Open(Fixtures.Dummy("dummy-chronos-model", "model", "model.safetensors"));
        var names = T5TiedWeights.NamesToSave(file.Names);
        var saved = folder.File("model.safetensors");

        SafetensorsWriter.Write(saved, file, names.Select(n => n.Source));

        using var ours = SafetensorsFile.Open(saved);
        ours.Names.Should().BeEquivalentTo(file.Names.Except(["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"]));
        ours.GetBytes("shared.weight").SequenceEqual(file.GetBytes("shared.weight")).Should().BeTrue();
        // The reference header minus the tied copies, with offsets re-packed, is exactly ours.
        var expected = ExpectedHeaderWithout(file, ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"]);
        HeaderJson(saved).Should().Be(expected);
    }

    [Fact]
    public void The_header_is_compact_sorted_padded_with_spaces_and_starts_with_metadata()
    {
        var path = folder.File("mixed.safetensors");
        SafetensorsWriter.Write(path,
        [
            (new SafetensorsTensorSpec("b", SafetensorsDType.Float32, [2]), new byte[8]),
            (new SafetensorsTensorSpec("a", SafetensorsDType.UInt8, [3]), new byte[] { 1, 2, 3 }),
            (new SafetensorsTensorSpec("c", SafetensorsDType.Int64, [1]), new byte[8]),
            (new SafetensorsTensorSpec("a2", SafetensorsDType.Float32, []), new byte[4]),
            (new SafetensorsTensorSpec("h", SafetensorsDType.BFloat16, [1, 1]), new byte[2]),
        ]);

        var bytes = File.ReadAllBytes(path);
        var length = BitConverter.ToUInt64(bytes, 0);
        (length % 8).Should().Be(0);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)length);
        header.TrimEnd(' ').Should().Be(
            """{"__metadata__":{"format":"pt"},"c":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"a2":{"dtype":"F32","shape":[],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]},"h":{"dtype":"BF16","shape":[1,1],"data_offsets":[20,22]},"a":{"dtype":"U8","shape":[3],"data_offsets":[22,25]}}""");
        header[header.TrimEnd(' ').Length..].Should().MatchRegex("^ {0,7}$", "the header is padded with spaces to 8 bytes");
        bytes.Length.Should().Be(8 + (int)length + 25);
        bytes[^3..].Should().Equal(1, 2, 3);
    }

    [Fact]
    public void A_data_writer_that_writes_the_wrong_length_names_the_tensor()
    {
        var act = () => SafetensorsWriter.Write(folder.File("bad.safetensors"),
            [new SafetensorsTensorSpec("w", SafetensorsDType.Float32, [4])], (_, stream) => stream.Write(new byte[12]));

        act.Should().Throw<InvalidOperationException>().WithMessage("*12 bytes*'w'*takes 16*");
        File.Exists(folder.File("bad.safetensors")).Should().BeFalse("nothing is left half-written");
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        var act = () => SafetensorsWriter.Order(
            [new SafetensorsTensorSpec("w", SafetensorsDType.Float32, [1]), new SafetensorsTensorSpec("w", SafetensorsDType.Int64, [1])]);

        act.Should().Throw<ArgumentException>().WithMessage("*'w'*2 times*");
    }

    private static string HeaderJson(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0)).TrimEnd(' ');
    }

    /// <summary>Re-serialises the reference header without some tensors, keeping its own key order and spelling.</summary>
    private static string ExpectedHeaderWithout(SafetensorsFile file, string[] removed)
    {
        using var document = JsonDocument.Parse(HeaderJson(file.Path));
        var builder = new StringBuilder("{");
        long offset = 0;
        foreach (var entry in document.RootElement.EnumerateObject().Where(e => !removed.Contains(e.Name)))
        {
            builder.Append(builder.Length > 1 ? "," : "").Append('"').Append(entry.Name).Append("\":");
            if (entry.Name == "__metadata__")
            {
                builder.Append(entry.Value.GetRawText());
                continue;
            }
            var (begin, end) = (entry.Value.GetProperty("data_offsets")[0].GetInt64(), entry.Value.GetProperty("data_offsets")[1].GetInt64());
            builder.Append("{\"dtype\":").Append(entry.Value.GetProperty("dtype").GetRawText())
                .Append(",\"shape\":").Append(entry.Value.GetProperty("shape").GetRawText())
                .Append($",\"data_offsets\":[{offset},{offset + end - begin}]}}");
            offset += end - begin;
        }
        return builder.Append('}').ToString();
    }
}
