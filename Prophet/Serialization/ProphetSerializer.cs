using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Prophet;

/// <summary>
/// prophet 1.1's JSON model format (python/prophet/serialize.py: <c>model_to_json</c>, <c>model_from_json</c>;
/// spec §15): simple attributes as JSON values, pandas Series as <c>to_json(orient='split', date_format='iso')</c>
/// strings, DataFrames as <c>to_json(orient='table', index=False)</c> strings, start/t_scale in seconds, ordered
/// dicts as [keys, dict] and params as draws × dim nested lists. A model saved here loads in Python prophet, and a
/// Python model file loads here (Stan objects are not part of the format).
/// </summary>
public static class ProphetSerializer
{
    /// <summary>The prophet version written into <c>__prophet_version</c>.</summary>
    public const string FormatVersion = "1.1.5";

    private static readonly DateTime Epoch = new(1970, 1, 1);

    public static string ModelToJson(Prophet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted || model.PreparedHistory is null)
        {
            throw new InvalidOperationException("This can only be used to serialize models that have already been fit.");
        }

        var o = model.Options;
        var history = model.PreparedHistory;
        var json = new JsonObject
        {
            ["growth"] = o.Growth.ToString().ToLowerInvariant(),
            ["n_changepoints"] = model.NChangepoints,
            ["specified_changepoints"] = o.Changepoints is not null,
            ["changepoint_range"] = o.ChangepointRange,
            ["yearly_seasonality"] = SettingToJson(o.YearlySeasonality),
            ["weekly_seasonality"] = SettingToJson(o.WeeklySeasonality),
            ["daily_seasonality"] = SettingToJson(o.DailySeasonality),
            ["seasonality_mode"] = ModeName(o.SeasonalityMode),
            ["seasonality_prior_scale"] = o.SeasonalityPriorScale,
            ["changepoint_prior_scale"] = o.ChangepointPriorScale,
            ["holidays_prior_scale"] = o.HolidaysPriorScale,
            ["mcmc_samples"] = 0,
            ["interval_width"] = o.IntervalWidth,
            ["uncertainty_samples"] = o.UncertaintySamples,
            ["y_scale"] = model.YScale,
            ["y_min"] = model.YMin,
            ["scaling"] = o.Scaling == Scaling.AbsMax ? "absmax" : "minmax",
            ["logistic_floor"] = model.LogisticFloor,
            ["country_holidays"] = model.CountryHolidays,
            ["component_modes"] = new JsonObject
            {
                ["additive"] = new JsonArray(model.ComponentModes[SeasonalityMode.Additive].Select(n => (JsonNode?)n).ToArray()),
                ["multiplicative"] = new JsonArray(model.ComponentModes[SeasonalityMode.Multiplicative].Select(n => (JsonNode?)n).ToArray()),
            },
            ["holidays_mode"] = ModeName(o.EffectiveHolidaysMode),
        };

        json["changepoints"] = SeriesSplit("ds", model.Changepoints.Select(c => (JsonNode?)IsoDate(c)).ToArray(),
            ChangepointIndices(model));
        json["history_dates"] = SeriesSplit("ds", model.HistoryDates.Select(d => (JsonNode?)IsoDate(d)).ToArray(), null);
        json["train_holiday_names"] = model.TrainHolidayNames.Count == 0
            ? null
            : SeriesSplit(null, model.TrainHolidayNames.Select(n => (JsonNode?)n).ToArray(), null);
        json["start"] = (model.Start - Epoch).Ticks / (double)TimeSpan.TicksPerSecond;
        json["t_scale"] = model.TScale.Ticks / (double)TimeSpan.TicksPerSecond;
        json["holidays"] = o.Holidays is { Count: > 0 } holidays ? HolidaysTable(holidays) : null;
        json["history"] = HistoryTable(history);
        var order = PythonColumnOrder(model);
        json["train_component_cols"] = ComponentTable(model, order);
        json["changepoints_t"] = new JsonArray(model.ChangepointsT.Select(v => (JsonNode?)v).ToArray());
        json["seasonalities"] = new JsonArray(
            new JsonArray(model.Seasonalities.Select(s => (JsonNode?)s.Name).ToArray()),
            new JsonObject(model.Seasonalities.Select(s => new KeyValuePair<string, JsonNode?>(s.Name, new JsonObject
            {
                ["period"] = s.Period,
                ["fourier_order"] = s.FourierOrder,
                ["prior_scale"] = s.PriorScale,
                ["mode"] = ModeName(s.Mode),
                ["condition_name"] = s.ConditionName,
            }))));
        json["extra_regressors"] = new JsonArray(
            new JsonArray(model.ExtraRegressors.Select(r => (JsonNode?)r.Name).ToArray()),
            new JsonObject(model.ExtraRegressors.Select(r => new KeyValuePair<string, JsonNode?>(r.Name, new JsonObject
            {
                ["prior_scale"] = r.PriorScale,
                ["standardize"] = r.Standardize switch { RegressorStandardize.Yes => true, RegressorStandardize.No => false, _ => (JsonNode)"auto" },
                ["mu"] = r.Mu,
                ["std"] = r.Std,
                ["mode"] = ModeName(r.Mode),
            }))));
        json["fit_kwargs"] = new JsonObject();
        var p = model.Params!;
        json["params"] = new JsonObject
        {
            ["k"] = Matrix([p.K]),
            ["m"] = Matrix([p.M]),
            ["delta"] = Matrix(p.Delta),
            ["sigma_obs"] = Matrix([p.SigmaObs]),
            ["beta"] = Matrix(order.Select(j => p.Beta[j]).ToArray()),
        };
        json["__prophet_version"] = FormatVersion;
        return json.ToJsonString();
    }

    /// <summary>Loads a model written by <see cref="ModelToJson"/> or by Python prophet's <c>model_to_json</c>.</summary>
    public static Prophet ModelFromJson(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var json = JsonNode.Parse(text)?.AsObject() ?? throw new FormatException("The model JSON is not an object.");
        if (json["mcmc_samples"] is { } mcmc && mcmc.GetValue<double>() > 0)
        {
            throw new NotSupportedException("The model was fitted with mcmc_samples > 0; only MAP models (mcmc_samples = 0) are supported.");
        }

        var seasonalityMode = ParseMode(Required(json, "seasonality_mode").GetValue<string>());
        var holidaysMode = json["holidays_mode"] is { } hm ? ParseMode(hm.GetValue<string>()) : seasonalityMode;
        var holidays = json["holidays"] is { } holidaysNode ? ReadHolidays(holidaysNode.GetValue<string>()) : null;
        var options = new ProphetOptions
        {
            Growth = Enum.Parse<Growth>(Required(json, "growth").GetValue<string>(), ignoreCase: true),
            NChangepoints = (int)Required(json, "n_changepoints").GetValue<double>(),
            ChangepointRange = Required(json, "changepoint_range").GetValue<double>(),
            YearlySeasonality = ParseSetting(json["yearly_seasonality"]),
            WeeklySeasonality = ParseSetting(json["weekly_seasonality"]),
            DailySeasonality = ParseSetting(json["daily_seasonality"]),
            SeasonalityMode = seasonalityMode,
            HolidaysMode = holidaysMode,
            SeasonalityPriorScale = Required(json, "seasonality_prior_scale").GetValue<double>(),
            ChangepointPriorScale = Required(json, "changepoint_prior_scale").GetValue<double>(),
            HolidaysPriorScale = Required(json, "holidays_prior_scale").GetValue<double>(),
            IntervalWidth = Required(json, "interval_width").GetValue<double>(),
            UncertaintySamples = json["uncertainty_samples"] is JsonValue us && us.TryGetValue<bool>(out var flag)
                ? (flag ? 1000 : 0)
                : (int)Required(json, "uncertainty_samples").GetValue<double>(),
            Scaling = json["scaling"]?.GetValue<string>() == "minmax" ? Scaling.MinMax : Scaling.AbsMax,
            Holidays = holidays,
        };

        var seasonalities = new List<Seasonality>();
        if (json["seasonalities"] is JsonArray { Count: 2 } seasonalityPair)
        {
            foreach (var name in seasonalityPair[0]!.AsArray().Select(n => n!.GetValue<string>()))
            {
                var s = seasonalityPair[1]![name]!;
                seasonalities.Add(new Seasonality(name, s["period"]!.GetValue<double>(), (int)s["fourier_order"]!.GetValue<double>(),
                    s["prior_scale"]!.GetValue<double>(), ParseMode(s["mode"]!.GetValue<string>()), s["condition_name"]?.GetValue<string>()));
            }
        }

        var regressors = new List<ExtraRegressor>();
        if (json["extra_regressors"] is JsonArray { Count: 2 } regressorPair)
        {
            foreach (var name in regressorPair[0]!.AsArray().Select(n => n!.GetValue<string>()))
            {
                var r = regressorPair[1]![name]!;
                var standardize = r["standardize"] is JsonValue sv && sv.TryGetValue<bool>(out var b)
                    ? (b ? RegressorStandardize.Yes : RegressorStandardize.No)
                    : RegressorStandardize.Auto;
                regressors.Add(new ExtraRegressor(name, r["prior_scale"]!.GetValue<double>(), standardize, ParseMode(r["mode"]!.GetValue<string>()))
                {
                    Mu = r["mu"]!.GetValue<double>(),
                    Std = r["std"]!.GetValue<double>(),
                });
            }
        }

        var parameters = json["params"] ?? throw new FormatException("The model JSON has no 'params'.");
        var fitted = new ProphetParameters(
            FirstDraw(parameters, "k")[0],
            FirstDraw(parameters, "m")[0],
            FirstDraw(parameters, "delta"),
            FirstDraw(parameters, "sigma_obs")[0],
            FirstDraw(parameters, "beta"));
        var state = new Prophet.RestoredState(
            YScale: Required(json, "y_scale").GetValue<double>(),
            YMin: json["y_min"]?.GetValue<double>() ?? 0.0,
            LogisticFloor: json["logistic_floor"]?.GetValue<bool>() ?? false,
            Start: Epoch.AddTicks((long)Math.Round(Required(json, "start").GetValue<double>() * TimeSpan.TicksPerSecond)),
            TScale: TimeSpan.FromTicks((long)Math.Round(Required(json, "t_scale").GetValue<double>() * TimeSpan.TicksPerSecond)),
            Changepoints: json["changepoints"] is { } cp ? ReadSeries(cp.GetValue<string>()).Select(ParseIso).ToArray() : [],
            ChangepointsT: Required(json, "changepoints_t").AsArray().Select(v => v!.GetValue<double>()).ToArray(),
            HistoryDates: json["history_dates"] is { } hd ? ReadSeries(hd.GetValue<string>()).Select(ParseIso).Order().ToArray() : [],
            TrainHolidayNames: json["train_holiday_names"] is { } th ? ReadSeries(th.GetValue<string>()).ToList() : [],
            History: ReadHistory(Required(json, "history").GetValue<string>()),
            Seasonalities: seasonalities,
            Regressors: regressors,
            CountryHolidays: json["country_holidays"]?.GetValue<string>(),
            Parameters: fitted,
            SpecifiedChangepoints: json["specified_changepoints"]?.GetValue<bool>() ?? false);
        return Prophet.Restore(options, state);
    }

    private static JsonNode Required(JsonObject json, string name) =>
        json[name] ?? throw new FormatException($"The model JSON has no '{name}' attribute (is it a prophet model_to_json file?).");

    private static double[] FirstDraw(JsonNode parameters, string name)
    {
        var node = parameters[name] ?? throw new FormatException($"The model JSON params have no '{name}'.");
        // draws × dim (Python 1.x MAP: 1 × dim); older files may hold a flat list or a scalar.
        if (node is JsonArray outer && outer.Count > 0 && outer[0] is JsonArray inner)
        {
            return inner.Select(v => v!.GetValue<double>()).ToArray();
        }

        return node is JsonArray flat ? flat.Select(v => v!.GetValue<double>()).ToArray() : [node.GetValue<double>()];
    }

    private static JsonArray Matrix(double[] values) => new(new JsonArray(values.Select(v => (JsonNode?)v).ToArray()));

    private static JsonNode? SettingToJson(SeasonalitySetting setting) => setting.Kind switch
    {
        "auto" => "auto",
        "true" => true,
        "false" => false,
        _ => setting.Order,
    };

    private static SeasonalitySetting ParseSetting(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return SeasonalitySetting.Auto;
        }

        if (value.TryGetValue<bool>(out var b))
        {
            return b;
        }

        if (value.TryGetValue<double>(out var order))
        {
            return (int)order;
        }

        return SeasonalitySetting.Auto;
    }

    private static string ModeName(SeasonalityMode mode) => mode == SeasonalityMode.Additive ? "additive" : "multiplicative";

    private static SeasonalityMode ParseMode(string mode) => mode switch
    {
        "additive" => SeasonalityMode.Additive,
        "multiplicative" => SeasonalityMode.Multiplicative,
        _ => throw new FormatException($"Unknown mode '{mode}' (expected 'additive' or 'multiplicative')."),
    };

    private static string IsoDate(DateTime d) => d.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static DateTime ParseIso(string text) =>
        ProphetFrame.ParseDate(text.TrimEnd('Z')) ?? throw new FormatException($"'{text}' is not an ISO date.");

    /// <summary>Row indices of the changepoints in the history (pandas keeps them in the Series index).</summary>
    private static JsonNode?[] ChangepointIndices(Prophet model)
    {
        var ds = model.PreparedHistory!.Ds;
        return model.Changepoints.Select(c => (JsonNode?)Math.Max(0, Array.IndexOf(ds, c))).ToArray();
    }

    /// <summary>pandas <c>Series.to_json(orient='split')</c>.</summary>
    private static string SeriesSplit(string? name, JsonNode?[] data, JsonNode?[]? index)
    {
        var series = new JsonObject
        {
            ["name"] = name,
            ["index"] = new JsonArray(index ?? Enumerable.Range(0, data.Length).Select(i => (JsonNode?)i).ToArray()),
            ["data"] = new JsonArray(data),
        };
        return series.ToJsonString();
    }

    private static string[] ReadSeries(string text)
    {
        var node = JsonNode.Parse(text) ?? throw new FormatException("A pandas Series string is empty.");
        return node["data"]!.AsArray().Select(v => v is null ? string.Empty : v.ToString()).ToArray();
    }

    /// <summary>pandas <c>DataFrame.to_json(orient='table', index=False)</c>.</summary>
    private static string Table(IReadOnlyList<(string Name, string Type)> fields, IEnumerable<JsonObject> rows)
    {
        var table = new JsonObject
        {
            ["schema"] = new JsonObject
            {
                ["fields"] = new JsonArray(fields.Select(f => (JsonNode?)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray()),
                ["pandas_version"] = "1.4.0",
            },
            ["data"] = new JsonArray(rows.Select(r => (JsonNode?)r).ToArray()),
        };
        return table.ToJsonString();
    }

    private static JsonNode? Number(double value) => double.IsFinite(value) ? value : null;

    private static string HistoryTable(PreparedFrame history)
    {
        var source = history.Source;
        var fields = new List<(string, string)> { ("ds", "datetime"), ("y", "number") };
        var numeric = source.NumericColumnNames.Where(n => n is not ("y" or "floor")).ToList();
        var boolean = source.BooleanColumnNames.ToList();
        fields.AddRange(numeric.Select(n => (n, "number")));
        fields.AddRange(boolean.Select(n => (n, "boolean")));
        fields.Add(("floor", "number"));
        fields.Add(("t", "number"));
        fields.Add(("y_scaled", "number"));
        if (history.CapScaled is not null)
        {
            fields.Add(("cap_scaled", "number"));
        }

        var rows = Enumerable.Range(0, history.RowCount).Select(i =>
        {
            var row = new JsonObject { ["ds"] = IsoDate(history.Ds[i]), ["y"] = Number(history.Y![i]) };
            foreach (var n in numeric)
            {
                row[n] = Number(source.GetNumeric(n)[i]);
            }

            foreach (var n in boolean)
            {
                row[n] = source.GetBoolean(n)[i];
            }

            row["floor"] = history.Floor[i];
            row["t"] = history.T[i];
            row["y_scaled"] = Number(history.YScaled![i]);
            if (history.CapScaled is { } capScaled)
            {
                row["cap_scaled"] = capScaled[i];
            }

            return row;
        });
        return Table(fields, rows);
    }

    private static ProphetFrame ReadHistory(string text)
    {
        var node = JsonNode.Parse(text) ?? throw new FormatException("The history table is empty.");
        var fields = node["schema"]!["fields"]!.AsArray().Select(f => (Name: f!["name"]!.GetValue<string>(), Type: f["type"]!.GetValue<string>())).ToList();
        var rows = node["data"]!.AsArray();
        var frame = new ProphetFrame(rows.Select(r => ParseIso(r!["ds"]!.GetValue<string>())).ToArray());
        foreach (var (name, type) in fields)
        {
            if (name is "ds" or "index" or "t" or "y_scaled" or "cap_scaled")
            {
                continue;
            }

            if (type == "boolean")
            {
                frame.Add(name, rows.Select(r => r![name]?.GetValue<bool>() ?? false).ToArray());
            }
            else if (type is "number" or "integer")
            {
                frame.Add(name, rows.Select(r => r![name] is JsonValue v ? v.GetValue<double>() : double.NaN).ToArray());
            }
        }

        return frame;
    }

    private static string HolidaysTable(IReadOnlyList<HolidayEvent> holidays)
    {
        var fields = new List<(string, string)> { ("ds", "datetime"), ("holiday", "string"), ("lower_window", "integer"), ("upper_window", "integer"), ("prior_scale", "number") };
        return Table(fields, holidays.Select(h => new JsonObject
        {
            ["ds"] = IsoDate(h.Date),
            ["holiday"] = h.Name,
            ["lower_window"] = h.LowerWindow,
            ["upper_window"] = h.UpperWindow,
            ["prior_scale"] = h.PriorScale is { } ps ? ps : null,
        }));
    }

    private static List<HolidayEvent> ReadHolidays(string text)
    {
        var node = JsonNode.Parse(text) ?? throw new FormatException("The holidays table is empty.");
        return node["data"]!.AsArray().Select(r => new HolidayEvent(
            r!["holiday"]!.GetValue<string>(),
            ParseIso(r["ds"]!.GetValue<string>()),
            r["lower_window"] is JsonValue lw ? (int)lw.GetValue<double>() : 0,
            r["upper_window"] is JsonValue uw ? (int)uw.GetValue<double>() : 0,
            r["prior_scale"] is JsonValue ps ? ps.GetValue<double>() : null)).ToList();
    }

    /// <summary>
    /// X's columns in Python prophet's order: holiday columns sorted by code point (a model fitted with R's
    /// case-insensitive holiday order is saved with beta permuted accordingly, so it predicts the same in Python).
    /// </summary>
    private static int[] PythonColumnOrder(Prophet model)
    {
        var names = model.FeatureNames;
        var holidayColumns = model.TrainComponentColumns.FirstOrDefault(c => c.Key == "holidays").Value ?? [];
        var order = Enumerable.Range(0, names.Count).ToArray();
        if (holidayColumns.Length > 1)
        {
            var sorted = holidayColumns.OrderBy(j => names[j], StringComparer.Ordinal).ToArray();
            for (var i = 0; i < holidayColumns.Length; i++)
            {
                order[holidayColumns[i]] = sorted[i];
            }
        }

        return order;
    }

    /// <summary>pandas crosstab of X column × component (prophet's <c>train_component_cols</c>), 0/1 integers.</summary>
    private static string ComponentTable(Prophet model, int[] order)
    {
        var components = model.TrainComponentColumns;
        var fields = components.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, "integer")).ToList();
        var rows = order.Select(j =>
        {
            var row = new JsonObject();
            foreach (var (name, columns) in components)
            {
                row[name] = columns.Contains(j) ? 1 : 0;
            }

            return row;
        });
        return Table(fields, rows);
    }
}
