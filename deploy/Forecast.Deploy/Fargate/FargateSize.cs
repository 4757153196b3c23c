using System.Globalization;

namespace Forecast.Deploy.Fargate;

/// <summary>
/// A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB. Fargate offers only certain pairs; this is our
/// own copy of the table in the ECS Developer Guide, "Task CPU and memory" (Linux, platform version 1.4.0), checked
/// before synthesis so a wrong size fails here, not at RegisterTaskDefinition time:
/// <code>
///   256 (.25 vCPU)  512, 1024, 2048
///   512 (.5 vCPU)   1024 – 4096 in steps of 1024
///  1024 (1 vCPU)    2048 – 8192 in steps of 1024
///  2048 (2 vCPU)    4096 – 16384 in steps of 1024
///  4096 (4 vCPU)    8192 – 30720 in steps of 1024
///  8192 (8 vCPU)   16384 – 61440 in steps of 4096
/// 16384 (16 vCPU)  32768 – 122880 in steps of 8192
/// </code>
/// </summary>
public readonly record struct FargateSize(int Cpu, int MemoryMiB)
{
    private static readonly (int Cpu, int Min, int Max, int Step)[] Rules =
    [
        (256, 512, 1024, 512), // 512, 1024 ...
        (512, 1024, 4096, 1024),
        (1024, 2048, 8192, 1024),
        (2048, 4096, 16384, 1024),
        (4096, 8192, 30720, 1024),
        (8192, 16384, 61440, 4096),
        (16384, 32768, 122880, 8192),
    ];

    /// <summary>The CPU values Fargate offers.</summary>
    public static IReadOnlyList<int> CpuValues => [.. Rules.Select(r => r.Cpu)];

    /// <summary>The memory values Fargate offers with <paramref name="cpu"/> (empty for a CPU it does not offer).</summary>
    public static IReadOnlyList<int> MemoryValuesFor(int cpu)
    {
        var values = new List<int>();
        foreach (var rule in Rules.Where(r => r.Cpu == cpu))
            for (int m = rule.Min; m <= rule.Max; m += rule.Step) values.Add(m);
        if (cpu == 256) values.Add(2048); // .25 vCPU: 512, 1024 and 2048 (not 1536)
        return values;
    }

    public bool IsOffered => MemoryValuesFor(Cpu).Contains(MemoryMiB);

    /// <summary>This size, or a <see cref="DeployException"/> naming <paramref name="where"/> and the sizes that exist.</summary>
    public FargateSize Validate(string where)
    {
        if (!CpuValues.Contains(Cpu))
            throw new DeployException($"{where}: Fargate does not offer {Cpu} CPU units; use one of {string.Join(", ", CpuValues)} (1024 = 1 vCPU).");
        if (!IsOffered)
        {
            var memory = MemoryValuesFor(Cpu);
            throw new DeployException($"{where}: Fargate does not offer {MemoryMiB} MiB with {Cpu} CPU units; with {Cpu} use {Describe(memory)} MiB, or change the CPU.");
        }
        return this;
    }

    /// <summary>Parses "cpu/memory", e.g. "2048/8192".</summary>
    public static FargateSize Parse(string text, string where)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int cpu)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int memory))
            throw new DeployException($"{where}: '{text}' is not of the form cpu/memoryMiB, e.g. 2048/8192.");
        return new FargateSize(cpu, memory).Validate(where);
    }

    public override string ToString() => $"{Cpu}/{MemoryMiB}";

    private static string Describe(IReadOnlyList<int> memory) =>
        memory.Count <= 4 ? string.Join(", ", memory) : $"{memory[0]} to {memory[^1]} in steps of {memory[1] - memory[0]}";
}
