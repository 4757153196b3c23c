using System.Diagnostics;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Bench;

/// <summary>
/// AutoArima's CPU per fit round after round in one process (one untimed warm-up fit of the first series, then every
/// series each round), with the JIT's compilation time in each round: how long tiered compilation keeps recompiling,
/// under whatever runtime settings the environment gives (e.g. DOTNET_TieredPGO=1 DOTNET_TC_QuickJitForLoops=1, a
/// default application's).
/// </summary>
internal static class Rounds
{
    public static void Run(string goldens, string dataRoot, IReadOnlyList<string> datasets, int seriesPerDataset, int rounds)
    {
        foreach (string name in datasets)
        {
            var data = RGolden.LoadDataset(goldens, name, Path.Combine(dataRoot, name, "data.csv"));
            var picked = Speed.Pick(data.Series, seriesPerDataset).Select(s => s.Context(data.MaxContext)).ToList();
            var model = new AutoArima { MaxDegreeOfParallelism = 1 };
            double j0 = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
            double c0 = Speed.ProcessCpuSeconds();
            model.Fit(picked[0], data.SeasonLength);
            Console.WriteLine(FormattableString.Invariant($"{name} warm-up: {(Speed.ProcessCpuSeconds() - c0) * 1e3:F1} ms CPU, JIT {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds - j0:F1} ms, methods {System.Runtime.JitInfo.GetCompiledMethodCount()}"));
            for (int r = 0; r < rounds; r++)
            {
                double jit = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
                var per = new List<string>();
                double total = 0;
                foreach (var y in picked)
                {
                    double c = Speed.ProcessCpuSeconds();
                    model.Fit(y, data.SeasonLength);
                    double ms = (Speed.ProcessCpuSeconds() - c) * 1e3;
                    total += ms;
                    per.Add(FormattableString.Invariant($"{ms:F1}"));
                }
                Console.WriteLine(FormattableString.Invariant($"{name} round {r + 1}: {total / picked.Count:F2} ms/fit CPU, JIT {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds - jit:F1} ms; {string.Join(' ', per)}"));
            }
        }
    }
}
