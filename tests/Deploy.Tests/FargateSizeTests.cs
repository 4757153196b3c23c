using Forecast.Deploy.Fargate;

namespace Forecast.Deploy.Tests;

/// <summary>Our copy of Fargate's CPU/memory table (ECS Developer Guide, "Task CPU and memory", Linux).</summary>
public class FargateSizeTests
{
    [Theory]
    [InlineData(256, 512)]
    [InlineData(256, 1024)]
    [InlineData(256, 2048)]
    [InlineData(512, 1024)]
    [InlineData(512, 4096)]
    [InlineData(1024, 2048)]
    [InlineData(1024, 8192)]
    [InlineData(2048, 4096)]
    [InlineData(2048, 16384)]
    [InlineData(4096, 8192)]
    [InlineData(4096, 30720)]
    [InlineData(8192, 16384)]
    [InlineData(8192, 61440)]
    [InlineData(16384, 32768)]
    [InlineData(16384, 122880)]
    public void The_edges_of_every_row_are_offered(int cpu, int memory) => new FargateSize(cpu, memory).IsOffered.Should().BeTrue();

    [Theory]
    [InlineData(256, 1536, "512, 1024, 2048")] // .25 vCPU jumps from 1 GB to 2 GB
    [InlineData(256, 4096, "512, 1024, 2048")]
    [InlineData(512, 512, "1024, 2048, 3072, 4096")]
    [InlineData(1024, 9216, "2048 to 8192 in steps of 1024")]
    [InlineData(2048, 2048, "4096 to 16384 in steps of 1024")]
    [InlineData(4096, 31744, "8192 to 30720 in steps of 1024")]
    [InlineData(8192, 17408, "16384 to 61440 in steps of 4096")] // 8 vCPU: 4 GB steps only
    [InlineData(16384, 36864, "32768 to 122880 in steps of 8192")] // 16 vCPU: 8 GB steps only
    public void Memory_Fargate_does_not_offer_is_a_named_error_listing_what_it_does(int cpu, int memory, string offered)
    {
        var act = () => new FargateSize(cpu, memory).Validate("project 'trainer'");
        act.Should().Throw<DeployException>().WithMessage($"project 'trainer': Fargate does not offer {memory} MiB with {cpu} CPU units; with {cpu} use {offered} MiB*");
    }

    [Theory]
    [InlineData(128)]
    [InlineData(3072)]
    [InlineData(32768)]
    public void Cpu_Fargate_does_not_offer_is_a_named_error(int cpu)
    {
        var act = () => new FargateSize(cpu, 8192).Validate("--size x");
        act.Should().Throw<DeployException>().WithMessage($"--size x: Fargate does not offer {cpu} CPU units; use one of 256, 512, 1024, 2048, 4096, 8192, 16384*");
    }

    [Fact]
    public void The_table_has_the_74_Linux_pairs()
    {
        var counts = FargateSize.CpuValues.ToDictionary(c => c, c => FargateSize.MemoryValuesFor(c).Count);
        counts.Should().Equal(new Dictionary<int, int> { [256] = 3, [512] = 4, [1024] = 7, [2048] = 13, [4096] = 23, [8192] = 12, [16384] = 12 });
        counts.Values.Sum().Should().Be(74);
    }

    [Theory]
    [InlineData("2048-8192")]
    [InlineData("two/8192")]
    public void A_malformed_size_is_a_named_error(string text)
    {
        var act = () => FargateSize.Parse(text, "--size trainer");
        act.Should().Throw<DeployException>().WithMessage("--size trainer: '*' is not of the form cpu/memoryMiB*");
    }
}
