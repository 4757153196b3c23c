using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// Builds the port's model, history and predict frame of a golden case from its input.csv, options.json and
/// future.csv.gz, mapping every key bench/Prophet/r/golden_case.R maps for R prophet 1.0 (prophet()'s arguments,
/// add_seasonality, add_regressor, add_country_holidays, cap and floor), so any R case dropped into
/// Fixtures/golden runs. Shared by the tests and bench/Prophet (linked source).
/// </summary>
public static class GoldenCaseModel
{
    /// <summary>A new, unfitted model with the case's options (R's holiday column order).</summary>
    public static Prophet Create(JsonElement o, int? seed = 42)
    {
        var options = new ProphetOptions
        {
            Growth = String(o, "growth") switch
            {
                "logistic" => Growth.Logistic,
                "flat" => Growth.Flat,
                _ => Growth.Linear,
            },
            Changepoints = o.TryGetProperty("changepoints", out var changepoints)
                ? changepoints.EnumerateArray().Select(c => ProphetFrame.ParseDate(c.GetString()!)!.Value).ToList()
                : null,
            NChangepoints = o.TryGetProperty("n_changepoints", out var nc) ? nc.GetInt32() : 25,
            ChangepointRange = Number(o, "changepoint_range") ?? 0.8,
            ChangepointPriorScale = Number(o, "changepoint_prior_scale") ?? 0.05,
            YearlySeasonality = Seasonality(o, "yearly_seasonality"),
            WeeklySeasonality = Seasonality(o, "weekly_seasonality"),
            DailySeasonality = Seasonality(o, "daily_seasonality"),
            SeasonalityMode = Mode(String(o, "seasonality_mode")) ?? SeasonalityMode.Additive,
            SeasonalityPriorScale = Number(o, "seasonality_prior_scale") ?? 10,
            HolidaysPriorScale = Number(o, "holidays_prior_scale") ?? 10,
            IntervalWidth = Number(o, "interval_width") ?? 0.8,
            UncertaintySamples = o.TryGetProperty("uncertainty_samples", out var samples) ? samples.GetInt32() : 1000,
            HolidayColumnOrder = HolidayColumnOrder.CaseInsensitive,
            Seed = seed,
            Holidays = o.TryGetProperty("holidays", out var holidays)
                ? holidays.EnumerateArray().Select(h => new HolidayEvent(
                    h.GetProperty("holiday").GetString()!,
                    DateTime.ParseExact(h.GetProperty("ds").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    h.TryGetProperty("lower_window", out var lower) ? lower.GetInt32() : 0,
                    h.TryGetProperty("upper_window", out var upper) ? upper.GetInt32() : 0,
                    Number(h, "prior_scale"))).ToList()
                : null,
        };
        var model = new Prophet(options);
        if (String(o, "country_holidays") is { } country)
        {
            model.AddCountryHolidays(country);
        }

        if (o.TryGetProperty("seasonalities", out var seasonalities))
        {
            foreach (var s in seasonalities.EnumerateArray())
            {
                model.AddSeasonality(s.GetProperty("name").GetString()!, s.GetProperty("period").GetDouble(), s.GetProperty("fourier_order").GetInt32(),
                    Number(s, "prior_scale"), Mode(String(s, "mode")), String(s, "condition_name"));
            }
        }

        if (o.TryGetProperty("extra_regressors", out var regressors))
        {
            foreach (var r in regressors.EnumerateArray())
            {
                var standardize = r.TryGetProperty("standardize", out var st) ? st.ValueKind switch
                {
                    JsonValueKind.True => RegressorStandardize.Yes,
                    JsonValueKind.False => RegressorStandardize.No,
                    _ => RegressorStandardize.Auto,
                } : RegressorStandardize.Auto;
                model.AddRegressor(r.GetProperty("name").GetString()!, Number(r, "prior_scale"), standardize, Mode(String(r, "mode")));
            }
        }

        return model;
    }

    /// <summary>input.csv, with the options' cap and floor added as columns when the file has none (as the R script does).</summary>
    public static ProphetFrame ReadHistory(string directory, JsonElement o)
    {
        var frame = ProphetFrame.ReadCsv(Path.Combine(directory, "input.csv"));
        AddConstants(frame, o);
        return frame;
    }

    /// <summary>The frame R predicted on (future.csv.gz: ds and every extra column), with the options' cap and floor.</summary>
    public static ProphetFrame ReadFuture(string directory, JsonElement o)
    {
        var path = Path.Combine(directory, "future.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var frame = ProphetFrame.ReadCsv(reader, path);
        AddConstants(frame, o);
        return frame;
    }

    private static void AddConstants(ProphetFrame frame, JsonElement o)
    {
        foreach (var name in new[] { "cap", "floor" })
        {
            if (Number(o, name) is { } value && !frame.HasColumn(name))
            {
                frame.Add(name, value);
            }
        }
    }

    private static SeasonalitySetting Seasonality(JsonElement o, string name) =>
        !o.TryGetProperty(name, out var value) ? SeasonalitySetting.Auto : value.ValueKind switch
        {
            JsonValueKind.True => SeasonalitySetting.Enabled,
            JsonValueKind.False => SeasonalitySetting.Disabled,
            JsonValueKind.Number => SeasonalitySetting.FourierOrder(value.GetInt32()),
            _ => SeasonalitySetting.Auto,
        };

    private static SeasonalityMode? Mode(string? mode) => mode switch
    {
        "multiplicative" => SeasonalityMode.Multiplicative,
        "additive" => SeasonalityMode.Additive,
        _ => null,
    };

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
