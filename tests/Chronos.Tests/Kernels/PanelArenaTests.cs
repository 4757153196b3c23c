using Forecast.Chronos.Kernels;

namespace Forecast.Chronos.Tests.Kernels;

public unsafe class PanelArenaTests
{
    [Fact]
    public void After_a_reset_the_same_sequence_of_blocks_reuses_the_same_memory()
    {
        using var arena = new PanelArena();
        long[] sizes = [262_144, 1_048_576, 3, 5_000_000, 262_144];

        var first = sizes.Select(size => (long)arena.Allocate(size)).ToArray();
        var reserved = arena.ReservedBytes;
        arena.Reset();
        var second = sizes.Select(size => (long)arena.Allocate(size)).ToArray();

        second.Should().Equal(first);
        arena.ReservedBytes.Should().Be(reserved);
        first.Should().OnlyContain(address => address % 64 == 0);
        first.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void A_block_larger_than_a_chunk_gets_a_chunk_of_its_own()
    {
        using var arena = new PanelArena();
        var count = PanelArena.ChunkBytes / sizeof(float) * 2;

        var block = arena.Allocate(count);
        block[count - 1] = 1f;

        arena.ReservedBytes.Should().BeGreaterThanOrEqualTo(count * sizeof(float));
    }

    [Fact]
    public void Only_one_call_holds_the_arena_at_a_time()
    {
        using var arena = new PanelArena();

        arena.TryAcquire().Should().BeTrue();
        arena.TryAcquire().Should().BeFalse();
        arena.Release();
        arena.TryAcquire().Should().BeTrue();
    }
}
