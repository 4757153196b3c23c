using System.Diagnostics;
using System.Security.Cryptography;

namespace Forecast.Fuzz;

/// <summary>What one bounded run found: inputs tried and the inputs whose exception was not a named one.</summary>
public sealed record FuzzReport(string Target, long Cases, TimeSpan Elapsed, IReadOnlyList<(byte[] Input, Exception Error)> Findings);

/// <summary>
/// A time-bounded mutation fuzzer over a target's corpus (fuzz/corpus/&lt;target&gt;/seeds and /regressions):
/// every corpus input first, then mutants of them until the time is up. Inputs that were rejected with a named
/// exception join the pool too (they reach deeper validation than the seeds), bounded in number.
/// </summary>
public static class FuzzCampaign
{
    private const int MaxPool = 2_000;

    /// <param name="caseTimeout">A case running longer is a finding (a hang): the parser is left running on a pool thread.</param>
    public static FuzzReport Run(FuzzTarget target, IReadOnlyList<byte[]> corpus, TimeSpan duration, int seed, int maxFindings = 20, TimeSpan? caseTimeout = null)
    {
        var limit = caseTimeout ?? TimeSpan.FromSeconds(10);
        var random = new Random(seed);
        var mutator = new Mutator(random, target.Dictionary);
        var pool = new List<byte[]>(corpus.Count > 0 ? corpus : [[]]);
        var findings = new List<(byte[], Exception)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        long cases = 0;

        void Try(byte[] input)
        {
            cases++;
            var run = Task.Run(() => target.Run(input));
            var error = run.Wait(limit) ? run.Result : new TimeoutException(FormattableString.Invariant($"the case ran for more than {limit.TotalSeconds:F0} s (a hang or a runaway allocation)"));
            if (error is not null)
            {
                // One finding per exception type and throwing method: the same defect found again is not news.
                string key = $"{error.GetType().FullName}@{error.TargetSite?.DeclaringType?.FullName}.{error.TargetSite?.Name}";
                if (seen.Add(key) && findings.Count < maxFindings) findings.Add((input, error));
            }
            else if (pool.Count < MaxPool && random.Next(16) == 0)
            {
                pool.Add(input);
            }
        }

        foreach (var input in corpus) Try(input);
        while (clock.Elapsed < duration)
            Try(mutator.Mutate(pool[random.Next(pool.Count)], pool));
        return new FuzzReport(target.Name, cases, clock.Elapsed, findings);
    }

    /// <summary>
    /// The mutation corpus of a target: the files of &lt;root&gt;/&lt;target&gt;/seeds and /regressions, in name order.
    /// Inputs that hung a parser (&lt;target&gt;/hangs) are replayed by the tests but not mutated: their mutants hang too.
    /// </summary>
    public static IReadOnlyList<byte[]> Corpus(string root, string target) => [.. Files(root, target, "seeds"), .. Files(root, target, "regressions")];

    /// <summary>The files of one corpus folder (seeds, regressions or hangs) of a target, in name order.</summary>
    public static IReadOnlyList<byte[]> Files(string root, string target, string kind)
    {
        string folder = Path.Combine(root, target, kind);
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)] : [];
    }

    /// <summary>Saves a finding as &lt;root&gt;/&lt;target&gt;/regressions (or /hangs)/&lt;sha256 prefix&gt; so it is replayed from then on.</summary>
    public static string Save(string root, string target, byte[] input, bool hang = false)
    {
        string folder = Path.Combine(root, target, hang ? "hangs" : "regressions");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(input))[..16]);
        File.WriteAllBytes(path, input);
        return path;
    }
}
