using System.Globalization;
using System.IO.Compression;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// rstan's optimiser runs on a golden case (Fixtures/rstan_traces/&lt;case&gt;, see Fixtures/NOTICE): what rstan
/// printed with <c>verbose = TRUE, refresh = 1</c> (6 significant digits), and the same run retraced at full precision
/// by StanHeaders 2.21's own optimiser code (bench/Prophet/r/stan_lbfgs_harness.cpp).
/// </summary>
public static class RstanTrace
{
    /// <summary>One L-BFGS iteration as rstan printed it: iteration, log prob, ||dx||, ||grad||, alpha, alpha0, # evals, note.</summary>
    public sealed record PrintedIteration(int Iteration, double LogProb, double StepNorm, double GradientNorm, double Alpha, double Alpha0, long Evaluations, string Note);

    /// <summary>One iteration at full precision: the objective f = -lp (L-BFGS) or lp (Newton), bit for bit, and the evaluation count.</summary>
    public sealed record ExactIteration(int Iteration, int ReturnCode, double Value, long Evaluations);

    public static bool Has(string name, string file) => File.Exists(PathOf(name, file));

    public static IReadOnlyList<PrintedIteration> PrintedLbfgs(string name)
    {
        var result = new List<PrintedIteration>();
        foreach (var line in Lines(name, "rstan_lbfgs.txt.gz"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 7 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iteration))
            {
                continue;
            }

            result.Add(new PrintedIteration(iteration, Number(fields[1]), Number(fields[2]), Number(fields[3]), Number(fields[4]), Number(fields[5]),
                long.Parse(fields[6], CultureInfo.InvariantCulture), string.Join(' ', fields.Skip(7))));
        }

        return result;
    }

    /// <summary>rstan's Newton log: "Iteration  N. Log joint probability =    X. Improved by Y."</summary>
    public static IReadOnlyList<(int Iteration, double LogProb)> PrintedNewton(string name)
    {
        var result = new List<(int, double)>();
        foreach (var line in Lines(name, "rstan_newton.txt.gz"))
        {
            if (!line.StartsWith("Iteration", StringComparison.Ordinal))
            {
                continue;
            }

            var iteration = int.Parse(line["Iteration".Length..line.IndexOf('.', StringComparison.Ordinal)].Trim(), CultureInfo.InvariantCulture);
            var start = line.IndexOf('=', StringComparison.Ordinal) + 1;
            var end = line.IndexOf(". Improved", StringComparison.Ordinal);
            result.Add((iteration, Number(line[start..end].Trim())));
        }

        return result;
    }

    /// <summary>The full-precision run: iterations and the final unconstrained parameters.</summary>
    public static (IReadOnlyList<ExactIteration> Iterations, double[] Final) Exact(string name, string algorithm)
    {
        var iterations = new List<ExactIteration>();
        double[] final = [];
        foreach (var line in Lines(name, $"stan221_{algorithm}_full_precision.txt.gz"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "final")
            {
                final = fields.Skip(1).Select(HexDouble.Parse).ToArray();
            }
            else if (algorithm == "lbfgs")
            {
                iterations.Add(new ExactIteration(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture),
                    HexDouble.Parse(fields[2]), long.Parse(fields[3], CultureInfo.InvariantCulture)));
            }
            else
            {
                iterations.Add(new ExactIteration(int.Parse(fields[0], CultureInfo.InvariantCulture), 0, HexDouble.Parse(fields[1]), 0));
            }
        }

        return (iterations, final);
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string PathOf(string name, string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "rstan_traces", name, file);

    private static IEnumerable<string> Lines(string name, string file)
    {
        using var stream = new GZipStream(File.OpenRead(PathOf(name, file)), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
