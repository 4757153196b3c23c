using Forecast.Chronos.Inference;

namespace Forecast.Chronos.Tests.Inference;

/// <summary>
/// Inference calls collect the managed wrappers of their disposed tensors once they add up. Alone (not in parallel
/// with other tests): the allocation counter and the collection count are process-wide.
/// </summary>
[Collection(nameof(ManagedGarbageTests))]
public class ManagedGarbageTests
{
    [Fact]
    public void Collects_generation_0_once_a_mebibyte_has_been_allocated_and_not_before()
    {
        ManagedGarbage.CollectIfDue();                              // start from a fresh mark (collects if due)
        ManagedGarbage.CollectIfDue();                              // nothing allocated since: no collection
        var before = GC.CollectionCount(0);
        ManagedGarbage.CollectIfDue();
        GC.CollectionCount(0).Should().Be(before, "less than 1 MiB was allocated since the last collection");

        for (var i = 0; i < 64; i++)
            GC.KeepAlive(new byte[32 << 10]);                       // 2 MiB of short-lived garbage
        ManagedGarbage.CollectIfDue();

        GC.CollectionCount(0).Should().BeGreaterThan(before);
    }
}

[CollectionDefinition(nameof(ManagedGarbageTests), DisableParallelization = true)]
public class ManagedGarbageCollection;
