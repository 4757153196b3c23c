using System.Text;

namespace Forecast.Fuzz.Tests;

/// <summary>
/// Every fuzz target, bounded: the corpus (seeds and the inputs that once crashed or hung a parser) replays without an
/// unnamed exception, then mutants of it run for <see cref="Budget"/> with the same requirement. The longer run is
/// <c>dotnet run -c Release --project fuzz/Forecast.Fuzz -- all --seconds 120</c> (docs/reliability.md).
/// </summary>
public sealed class FuzzTests
{
    /// <summary>Per target in the suite (CI runs on 2 shared cores); FORECAST_FUZZ_SECONDS raises it.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("FORECAST_FUZZ_SECONDS"), out int seconds) ? seconds : 10);

    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    private static string Describe(IEnumerable<(byte[] Input, Exception Error)> findings) =>
        string.Join("\n", findings.Select(f => $"{f.Error.GetType().Name}: {f.Error.Message} <- {Convert.ToBase64String(f.Input.Take(200).ToArray())}\n{f.Error.StackTrace}"));

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_corpus_replays_with_only_named_exceptions(string name)
    {
        var target = FuzzTargets.Get(name);
        var inputs = FuzzCampaign.Corpus(Corpus, name).Concat(FuzzCampaign.Files(Corpus, name, "hangs")).ToList();
        inputs.Should().NotBeEmpty("every target has seeds");
        var findings = inputs.Select(i => (Input: i, Error: target.Run(i))).Where(f => f.Error is not null).Select(f => (f.Input, f.Error!)).ToList();
        findings.Should().BeEmpty(Describe(findings));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutants_raise_only_named_exceptions(string name)
    {
        var target = FuzzTargets.Get(name);
        // A seed per target and day: runs differ over time (more inputs tried) but one day's failures reproduce.
        // (string.GetHashCode is randomised per process, so the target's part is a stable FNV-1a hash of its name.)
        int seed = (DateTime.UtcNow.DayOfYear * 31) ^ (int)name.Aggregate(2166136261u, (h, c) => (h ^ c) * 16777619u);
        var report = FuzzCampaign.Run(target, FuzzCampaign.Corpus(Corpus, name), Budget, seed, caseTimeout: TimeSpan.FromSeconds(10));
        report.Cases.Should().BeGreaterThan(0);
        report.Findings.Should().BeEmpty($"seed {seed}, {report.Cases} cases: " + Describe(report.Findings));
    }

    [Fact]
    public void The_prophet_target_rejects_whitespace_with_its_named_exception()
    {
        FuzzTargets.Get("prophet-json").Run(Encoding.UTF8.GetBytes("   ")).Should().BeNull();
    }
}
