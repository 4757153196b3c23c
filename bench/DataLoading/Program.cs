using System.Diagnostics;
using System.Globalization;
using Forecast.Bench.DataLoading;
using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;

// Data-loading benchmark (issue 2: 10 million rows load in under 30 s and under 3 GB).
// Parent: writes a 10M-row CSV (ordered by id, and again ordered by time) and Parquet to a temp folder, then loads each in a fresh child process so that
// peak RSS is the loader's alone, and times pandas.read_csv on the same CSV as the reference when it is installed.
// Child (--load FILE): loads, cleans, explores (EDA with 10 plots), prints one result line.
var inv = CultureInfo.InvariantCulture;
if (args.Length == 2 && args[0] == "--load")
{
    var before = GC.GetTotalMemory(false);
    var watch = Stopwatch.StartNew();
    var data = await SeriesLoader.LoadAsync(new DataOptions { Path = args[1] });
    double loadSeconds = watch.Elapsed.TotalSeconds;
    double loadPeak = PeakMemory.MiB();
    watch.Restart();
    var cleaned = SeriesCleaner.Clean(data.Series, new CleaningOptions());
    double cleanSeconds = watch.Elapsed.TotalSeconds;
    watch.Restart();
    var eda = SeriesExplorer.Explore(cleaned.Series, new EdaOptions());
    double edaSeconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(inv,
        $"RESULT rows={data.Fingerprint.Rows} series={data.Fingerprint.Series} load_s={loadSeconds:F2} load_peak_mib={loadPeak:F0} clean_s={cleanSeconds:F2} eda_s={edaSeconds:F2} peak_mib={PeakMemory.MiB():F0} kept={cleaned.Series.Count} plots={eda.Plots.Count}"));
    GC.KeepAlive(before);
    return 0;
}

int rows = 10_000_000;
for (int i = 0; i + 1 < args.Length; i++) if (args[i] == "--rows") rows = int.Parse(args[i + 1], inv);
const int length = 1000; // points per series: 10 000 hourly series of 1000 points
int series = rows / length;

string folder = Path.Combine(Path.GetTempPath(), $"forecast-bench-data-{rows}");
Directory.CreateDirectory(folder);
string csv = Path.Combine(folder, "data.csv");
string csvByTime = Path.Combine(folder, "data-by-time.csv");
string parquet = Path.Combine(folder, "data.parquet");
var gen = Stopwatch.StartNew();
if (!File.Exists(csv)) SyntheticData.WriteCsv(csv, series, length);
if (!File.Exists(csvByTime)) SyntheticData.WriteCsv(csvByTime, series, length, timeMajor: true);
if (!File.Exists(parquet)) await SyntheticData.WriteParquetAsync(parquet, series, length);
Console.WriteLine(string.Create(inv, $"input: {series * length:N0} rows, {series:N0} series; CSV {new FileInfo(csv).Length / 1e6:F0} MB, Parquet {new FileInfo(parquet).Length / 1e6:F0} MB ({gen.Elapsed.TotalSeconds:F0} s to write, cached in {folder})"));

string self = typeof(PeakMemory).Assembly.Location;
foreach (var file in new[] { csv, csvByTime, parquet })
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
    start.ArgumentList.Add(self);
    start.ArgumentList.Add("--load");
    start.ArgumentList.Add(file);
    using var child = Process.Start(start)!;
    string output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    Console.WriteLine($"{Path.GetFileName(file),-18} {output.Trim()}");
}

// Reference: pandas.read_csv with ds parsed, sorted by id and time (what the Python seed's loader does).
const string pandasScript = """
import sys, time, resource
import pandas as pd
t = time.time()
df = pd.read_csv(sys.argv[1], parse_dates=["ds"]).sort_values(["unique_id", "ds"], kind="stable")
print(f"RESULT rows={len(df)} load_s={time.time() - t:.2f} peak_mib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} pandas={pd.__version__}")
""";
foreach (var python in new[] { "/usr/bin/python3", "python3" })
{
    try
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(pandasScript);
        start.ArgumentList.Add(csv);
        using var p = Process.Start(start)!;
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode == 0) { Console.WriteLine($"{"pandas read_csv",-18} {output.Trim()}"); break; }
    }
    catch (System.ComponentModel.Win32Exception) { }
}
return 0;
