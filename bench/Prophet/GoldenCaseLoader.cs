using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Forecast.Prophet.Bench;

/// <summary>Reads a golden case from tests/Prophet.Tests/Fixtures/golden (R prophet 1.0 outputs, see its NOTICE).</summary>
internal sealed class GoldenCaseLoader
{
    public GoldenCaseLoader(string directory)
    {
        Name = Path.GetFileName(directory);
        Input = ProphetFrame.ReadCsv(Path.Combine(directory, "input.csv"));
        Options = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "options.json"))).RootElement;
        Timing = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "timing.json"))).RootElement;
        using var stream = new GZipStream(File.OpenRead(Path.Combine(directory, "forecast.csv.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var capIndex = Array.IndexOf(header, "cap");
        var ds = new List<DateTime>();
        var cap = new List<double>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var fields = line.Split(',');
            ds.Add(ProphetFrame.ParseDate(fields[0])!.Value);
            if (capIndex >= 0)
            {
                cap.Add(double.Parse(fields[capIndex], CultureInfo.InvariantCulture));
            }
        }

        Future = new ProphetFrame(ds);
        if (capIndex >= 0)
        {
            Future.Add("cap", cap);
        }

        if (Name == "peyton_holidays_regressor")
        {
            // prophet's documentation regressor: Sundays from September to January.
            Future.Add("nfl_sunday", ds.Select(d => d.DayOfWeek == DayOfWeek.Sunday && (d.Month > 8 || d.Month < 2) ? 1.0 : 0.0).ToArray());
        }
    }

    public string Name { get; }

    public ProphetFrame Input { get; }

    public ProphetFrame Future { get; }

    public JsonElement Options { get; }

    public JsonElement Timing { get; }

    public double RFitSeconds => Timing.GetProperty("fit_only_s_median").GetDouble();

    public double RFitPredictSeconds => Timing.GetProperty("fit_plus_predict_s_median").GetDouble();

    public Prophet CreateModel()
    {
        var o = Options;
        var model = new Prophet(new ProphetOptions
        {
            Growth = o.TryGetProperty("growth", out var g) ? g.GetString() switch { "logistic" => Growth.Logistic, "flat" => Growth.Flat, _ => Growth.Linear } : Growth.Linear,
            SeasonalityMode = o.TryGetProperty("seasonality_mode", out var m) && m.GetString() == "multiplicative" ? SeasonalityMode.Multiplicative : SeasonalityMode.Additive,
            NChangepoints = o.TryGetProperty("n_changepoints", out var n) ? n.GetInt32() : 25,
            ChangepointPriorScale = o.TryGetProperty("changepoint_prior_scale", out var c) ? c.GetDouble() : 0.05,
            UncertaintySamples = o.GetProperty("uncertainty_samples").GetInt32(),
            IntervalWidth = o.GetProperty("interval_width").GetDouble(),
            HolidayColumnOrder = HolidayColumnOrder.CaseInsensitive,
            Seed = 42,
            Holidays = o.TryGetProperty("holidays", out var h)
                ? h.EnumerateArray().Select(e => new HolidayEvent(e.GetProperty("holiday").GetString()!,
                    DateTime.ParseExact(e.GetProperty("ds").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    e.GetProperty("lower_window").GetInt32(), e.GetProperty("upper_window").GetInt32())).ToList()
                : null,
        });
        if (o.TryGetProperty("country_holidays", out var country))
        {
            model.AddCountryHolidays(country.GetString()!);
        }

        if (o.TryGetProperty("extra_regressors", out var regressors))
        {
            foreach (var r in regressors.EnumerateArray())
            {
                model.AddRegressor(r.GetProperty("name").GetString()!, r.GetProperty("prior_scale").GetDouble());
            }
        }

        return model;
    }
}
