using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// One R prophet 1.0 golden case copied into Fixtures/golden/&lt;name&gt; (see Fixtures/NOTICE): its input, options,
/// fitted parameters, Stan data and predict() frame, and a model configured as the R script configured it.
/// </summary>
public sealed class GoldenCase
{
    /// <summary>
    /// The L1 data cache size Eigen saw (CPUID) on the machine where the golden R fits and the rstan traces were made;
    /// rstan's rounding depends on it, so the R-compatible tests pin it instead of reading the test machine's.
    /// </summary>
    public const int RstanL1CacheBytes = 32 * 1024;

    /// <summary>The R-compatible fit as it ran on the machine that made the fixtures.</summary>
    public static ProphetFitOptions RCompatibleOptions => new() { Mode = ProphetFitMode.RCompatible, EigenL1CacheBytes = RstanL1CacheBytes };

    public static readonly string[] Names =
    [
        "air_passengers_multiplicative", "air_passengers_small_newton", "peyton_default", "peyton_holidays_regressor",
        "retail_default", "retail_flat", "retail_no_changepoints", "wp_R_logistic", "yosemite_subdaily",
    ];

    /// <summary>The cases that fit in well under a second (used where a test fits every case).</summary>
    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

    private static readonly Dictionary<string, GoldenCase> Cache = new();

    private GoldenCase(string name)
    {
        Name = name;
        Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden", name);
        Input = ProphetFrame.ReadCsv(Path.Combine(Directory, "input.csv"));
        Options = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "options.json"))).RootElement;
        Params = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "params.json"))).RootElement;
        using (var stream = new GZipStream(File.OpenRead(Path.Combine(Directory, "stan_data.json.gz")), CompressionMode.Decompress))
        {
            StanData = JsonDocument.Parse(stream).RootElement;
        }

        Timing = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "timing.json"))).RootElement;
    }

    public string Name { get; }

    public string Directory { get; }

    public ProphetFrame Input { get; }

    public JsonElement Options { get; }

    public JsonElement Params { get; }

    public JsonElement StanData { get; }

    public JsonElement Timing { get; }

    public static GoldenCase Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var golden))
            {
                Cache[name] = golden = new GoldenCase(name);
            }

            return golden;
        }
    }

    /// <summary>A new, unfitted model with this case's options (R column order for holidays).</summary>
    public Prophet CreateModel(int? seed = 42)
    {
        var options = new ProphetOptions
        {
            Growth = Options.TryGetProperty("growth", out var g) ? g.GetString() switch
            {
                "logistic" => Growth.Logistic,
                "flat" => Growth.Flat,
                _ => Growth.Linear,
            } : Growth.Linear,
            SeasonalityMode = Options.TryGetProperty("seasonality_mode", out var sm) && sm.GetString() == "multiplicative"
                ? SeasonalityMode.Multiplicative
                : SeasonalityMode.Additive,
            NChangepoints = Options.TryGetProperty("n_changepoints", out var nc) ? nc.GetInt32() : 25,
            ChangepointPriorScale = Options.TryGetProperty("changepoint_prior_scale", out var cps) ? cps.GetDouble() : 0.05,
            IntervalWidth = Options.GetProperty("interval_width").GetDouble(),
            UncertaintySamples = Options.GetProperty("uncertainty_samples").GetInt32(),
            HolidayColumnOrder = HolidayColumnOrder.CaseInsensitive,
            Seed = seed,
            Holidays = Options.TryGetProperty("holidays", out var holidays)
                ? holidays.EnumerateArray().Select(h => new HolidayEvent(
                    h.GetProperty("holiday").GetString()!,
                    DateTime.ParseExact(h.GetProperty("ds").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    h.GetProperty("lower_window").GetInt32(),
                    h.GetProperty("upper_window").GetInt32())).ToList()
                : null,
        };
        var model = new Prophet(options);
        if (Options.TryGetProperty("country_holidays", out var country))
        {
            model.AddCountryHolidays(country.GetString()!);
        }

        if (Options.TryGetProperty("extra_regressors", out var regressors))
        {
            foreach (var r in regressors.EnumerateArray())
            {
                model.AddRegressor(r.GetProperty("name").GetString()!, r.GetProperty("prior_scale").GetDouble(), RegressorStandardize.Auto,
                    r.GetProperty("mode").GetString() == "multiplicative" ? SeasonalityMode.Multiplicative : SeasonalityMode.Additive);
            }
        }

        return model;
    }

    /// <summary>The Stan data list R passed to rstan.</summary>
    public ProphetStanData ReadStanData()
    {
        var s = StanData;
        var t = s.GetProperty("T").GetInt32();
        var k = s.GetProperty("K").GetInt32();
        var x = new double[t * k];
        var row = 0;
        foreach (var r in s.GetProperty("X").EnumerateArray())
        {
            var col = 0;
            foreach (var v in r.EnumerateArray())
            {
                x[(row * k) + col++] = v.GetDouble();
            }

            row++;
        }

        return new ProphetStanData(t, k, s.GetProperty("S").GetInt32(), Doubles(s.GetProperty("y")), Doubles(s.GetProperty("t")),
            Doubles(s.GetProperty("cap")), Doubles(s.GetProperty("t_change")), x, Doubles(s.GetProperty("sigmas")),
            s.GetProperty("tau").GetDouble(), s.GetProperty("trend_indicator").GetInt32(), Doubles(s.GetProperty("s_a")),
            Doubles(s.GetProperty("s_m")));
    }

    /// <summary>R's fitted MAP parameters (before delta folding: for retail_no_changepoints as reported).</summary>
    public ProphetParameters ReadParams() => new(
        Params.GetProperty("k").GetDouble(), Params.GetProperty("m").GetDouble(), Doubles(Params.GetProperty("delta")),
        Params.GetProperty("sigma_obs").GetDouble(), Doubles(Params.GetProperty("beta")));

    public ProphetParameters ReadInit()
    {
        var init = StanData.GetProperty("init");
        return new ProphetParameters(init.GetProperty("k").GetDouble(), init.GetProperty("m").GetDouble(),
            Doubles(init.GetProperty("delta")), init.GetProperty("sigma_obs").GetDouble(), Doubles(init.GetProperty("beta")));
    }

    public double LogPosteriorValue => Params.GetProperty("stan_optimizer").GetProperty("log_posterior_value").GetDouble();

    public double YScale => Params.GetProperty("y_scale").GetDouble();

    /// <summary>R's predict() output as columns by name (ds parsed into <see cref="ForecastDs"/>).</summary>
    public Dictionary<string, double[]> ReadForecast(out DateTime[] ds)
    {
        using var stream = new GZipStream(File.OpenRead(Path.Combine(Directory, "forecast.csv.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var columns = header.ToDictionary(h => h, _ => new List<double>());
        var dates = new List<DateTime>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            // Column names contain no commas; values neither.
            var fields = line.Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                if (header[c] == "ds")
                {
                    dates.Add(ProphetFrame.ParseDate(fields[c])!.Value);
                }
                else
                {
                    columns[header[c]].Add(fields[c].Length == 0 || fields[c] == "NA" ? double.NaN : double.Parse(fields[c], CultureInfo.InvariantCulture));
                }
            }
        }

        ds = dates.ToArray();
        columns.Remove("ds");
        return columns.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    /// <summary>The frame R predicted on: forecast.csv's ds, plus cap and regressors as the R script set them.</summary>
    public ProphetFrame ReadFutureFrame(out Dictionary<string, double[]> forecast)
    {
        forecast = ReadForecast(out var ds);
        var frame = new ProphetFrame(ds);
        if (forecast.TryGetValue("cap", out var cap))
        {
            frame.Add("cap", cap);
        }

        if (Name == "peyton_holidays_regressor")
        {
            frame.Add("nfl_sunday", ds.Select(NflSunday).ToArray());
        }

        return frame;
    }

    /// <summary>The prophet documentation's nfl_sunday regressor: Sundays from September to January.</summary>
    public static double NflSunday(DateTime ds) =>
        ds.DayOfWeek == DayOfWeek.Sunday && (ds.Month > 8 || ds.Month < 2) ? 1.0 : 0.0;

    public static double[] Doubles(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(v => v.GetDouble()).ToArray() : [element.GetDouble()];
}
