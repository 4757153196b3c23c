using System.Globalization;
using Forecast.Fuzz;

// dotnet run -c Release --project fuzz/Forecast.Fuzz -- <target|all> [--seconds N] [--seed S] [--corpus DIR]
//   the built-in mutation fuzzer for N seconds per target; findings are saved under <corpus>/<target>/regressions.
// dotnet run -c Release --project fuzz/Forecast.Fuzz -- --afl <target>
//   one AFL persistent-mode target through SharpFuzz (see docs/reliability.md for the instrumented run).
string corpus = Path.Combine(FindRepositoryRoot(), "fuzz", "corpus");
int seconds = 60;
int seed = Environment.TickCount;
var positional = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--corpus": corpus = args[++i]; break;
        case "--afl":
            var afl = FuzzTargets.Get(args[++i]);
            SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                if (afl.Run(buffer.ToArray()) is { } error) throw error; // only unnamed exceptions are crashes for AFL
            });
            return 0;
        default: positional.Add(args[i]); break;
    }
}
if (positional.Count != 1)
{
    Console.Error.WriteLine($"usage: Forecast.Fuzz <target|all> [--seconds N] [--seed S] [--corpus DIR] | --afl <target>; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

var targets = positional[0] == "all" ? FuzzTargets.All : [FuzzTargets.Get(positional[0])];
int found = 0;
foreach (var target in targets)
{
    var report = FuzzCampaign.Run(target, FuzzCampaign.Corpus(corpus, target.Name), TimeSpan.FromSeconds(seconds), seed);
    Console.WriteLine(FormattableString.Invariant($"{target.Name}: {report.Cases} cases in {report.Elapsed.TotalSeconds:F0} s (seed {seed}), {report.Findings.Count} unnamed exception(s)"));
    foreach (var (input, error) in report.Findings)
    {
        string saved = FuzzCampaign.Save(corpus, target.Name, input, hang: error is TimeoutException);
        Console.WriteLine($"  {error.GetType().Name}: {error.Message.Split('\n')[0]}  -> {saved}");
        found++;
    }
}
return found == 0 ? 0 : 1;

static string FindRepositoryRoot()
{
    for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "Forecast.sln"))) return folder.FullName;
    return Directory.GetCurrentDirectory();
}
