using Forecast.Trainer.Configuration;
using Forecast.Trainer.Sharding;

namespace Forecast.Trainer.Tests.Sharding;

public class ShardSpecTests
{
    [Theory]
    // Test vectors of 64-bit FNV-1a (draft-eastlake-fnv, appendix C: "" and "a"; "foobar" from the FNV test suite).
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void The_hash_is_64_bit_FNV_1a_of_the_UTF8_bytes(string text, ulong expected) =>
        StableHash.Fnv1a64(text).Should().Be(expected);

    [Fact]
    public void Non_ASCII_ids_hash_their_UTF8_bytes_and_long_ids_hash_like_short_ones()
    {
        StableHash.Fnv1a64("Zürich").Should().Be(StableHash.Fnv1a64("Zürich"u8));
        string longId = new('x', 2000);
        StableHash.Fnv1a64(longId).Should().Be(StableHash.Fnv1a64(System.Text.Encoding.UTF8.GetBytes(longId)));
    }

    [Fact]
    public void Every_series_belongs_to_exactly_one_shard_and_shards_are_roughly_even()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"store_{i}_item_{i % 37}").ToList();
        var shards = Enumerable.Range(0, 8).Select(i => new ShardSpec(i, 8)).ToList();
        foreach (string id in ids) shards.Count(s => s.Owns(id)).Should().Be(1);
        foreach (var shard in shards) ids.Count(shard.Owns).Should().BeInRange(1100, 1400, "10,000 ids over 8 shards is 1,250 each give or take the hash's spread");
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void Parses_i_of_N(string text, int index, int count) => ShardSpec.Parse(text).Should().Be(new ShardSpec(index, count));

    [Theory]
    [InlineData("4/4", "between 0 and N-1 = 3")]
    [InlineData("0/0", "between 1 and 10000")]
    [InlineData("-1/4", "not of the form i/N")]
    [InlineData("1", "not of the form i/N")]
    [InlineData("a/b", "not of the form i/N")]
    [InlineData("0/20000", "between 1 and 10000")]
    public void Out_of_range_or_malformed_shards_are_config_errors_naming_the_option(string text, string why)
    {
        var act = () => ShardSpec.Parse(text);
        act.Should().Throw<ConfigException>().WithMessage($"*--shard*'{text}'*{why}*");
    }

    [Theory]
    [InlineData(null, "needs --batch")]
    [InlineData("a/b", "only ASCII letters")]
    public void A_batch_id_is_required_and_safe_in_keys(string? batch, string why)
    {
        var act = () => ShardSpec.ValidateBatch(batch, "--shard");
        act.Should().Throw<ConfigException>().WithMessage($"*--batch*{why}*");
    }
}
