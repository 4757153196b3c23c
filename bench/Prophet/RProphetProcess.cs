using System.Diagnostics;
using System.Globalization;

namespace Forecast.Prophet.Bench;

/// <summary>
/// R prophet 1.0 in one long-lived Rscript process (r/bench_server.R), driven line by line so that R and the port run
/// alternately on the same machine in the same run. R measures its own wall time around each call (proc.time), as the
/// port's stopwatch does, so process start-up and package loading are not counted on either side.
/// </summary>
internal sealed class RProphetProcess : IDisposable
{
    private readonly Process _process;

    private RProphetProcess(Process process, string versions)
    {
        _process = process;
        Versions = versions;
    }

    /// <summary>"prophet 1.0, rstan 2.21.7, R 4.2.2" as the server reported it.</summary>
    public string Versions { get; }

    /// <summary>Starts the server, or returns null with the reason when Rscript or prophet is not installed.</summary>
    public static RProphetProcess? TryStart(string script, out string problem)
    {
        var start = new ProcessStartInfo("Rscript", ["--vanilla", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = $"Rscript could not be started ({e.Message}).";
            return null;
        }

        process.ErrorDataReceived += (_, _) => { }; // R's messages (e.g. timedatectl warnings) are not ours to print
        process.BeginErrorReadLine();
        var hello = process.StandardOutput.ReadLine();
        var words = hello?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is not { Length: >= 5 } || words[0] != "hello")
        {
            process.WaitForExit(10_000);
            problem = "Rscript started but R prophet did not load (is r-cran-prophet installed?).";
            return null;
        }

        problem = "";
        return new RProphetProcess(process, $"prophet {words[1]}, rstan {words[2]}, R {words[3]}.{words[4]}");
    }

    /// <summary>Loads a golden case (model, history, future frame) and fits it once (warm-up).</summary>
    public void Load(string caseDirectory) => Send($"load {caseDirectory}", "ready");

    /// <summary>Seconds R prophet took for fit.prophet(model, history).</summary>
    public double Fit() => double.Parse(Send("fit", "fit")[1], CultureInfo.InvariantCulture);

    /// <summary>Seconds R prophet took for each of <paramref name="count"/> consecutive fit.prophet(model, history) calls.</summary>
    public IEnumerable<double> FitBlock(int count) =>
        Send($"fitblock {count}", "fitblock").Skip(1).Select(word => double.Parse(word, CultureInfo.InvariantCulture));

    /// <summary>Seconds R prophet took for fit.prophet and predict(future) (1000 uncertainty samples).</summary>
    public double FitPredict() => double.Parse(Send("fitpredict", "fitpredict")[1], CultureInfo.InvariantCulture);

    private string[] Send(string command, string expected)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var reply = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"R exited during '{command}'.");
        var words = reply.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0] != expected)
        {
            throw new InvalidOperationException($"R answered '{reply}' to '{command}'.");
        }

        return words;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(30_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
