using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.Tests.Checkpoints;

public class T5TiedWeightsTests
{
    [Fact]
    public void A_tied_name_resolves_to_the_copy_the_file_has()
    {
        string[] onlyEncoderCopy = ["encoder.embed_tokens.weight", "encoder.final_layer_norm.weight"];

        T5TiedWeights.Resolve("shared.weight", onlyEncoderCopy.Contains).Should().Be("encoder.embed_tokens.weight");
        T5TiedWeights.Resolve("lm_head.weight", onlyEncoderCopy.Contains).Should().Be("encoder.embed_tokens.weight");
        T5TiedWeights.Resolve("lm_head.weight", onlyEncoderCopy.Contains, tieWordEmbeddings: false).Should().BeNull();
        T5TiedWeights.Resolve("encoder.final_layer_norm.weight", onlyEncoderCopy.Contains).Should().Be("encoder.final_layer_norm.weight");
        T5TiedWeights.Resolve("decoder.final_layer_norm.weight", onlyEncoderCopy.Contains).Should().BeNull();
    }

    [Fact]
    public void Saving_drops_copies_and_keeps_an_untied_lm_head()
    {
        string[] names = ["shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight", "x"];

        T5TiedWeights.NamesToSave(names).Select(n => n.Target).Should().Equal("shared.weight", "x");
        T5TiedWeights.NamesToSave(names, tieWordEmbeddings: false).Select(n => n.Target)
            .Should().Equal("shared.weight", "lm_head.weight", "x");
        T5TiedWeights.NamesToSave(["decoder.embed_tokens.weight", "x"]).Should().Equal(("decoder.embed_tokens.weight", "shared.weight"), ("x", "x"));
    }
}
