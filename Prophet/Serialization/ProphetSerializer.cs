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

    /// <summary>
    /// Loads a model written by <see cref="ModelToJson"/> or by Python prophet's <c>model_to_json</c>. Anything that
    /// is not such a model (bad JSON, a wrong type, a missing attribute, a date or number out of range, parameters
    /// that do not fit the model's features) is a <see cref="ProphetModelJsonException"/> naming the attribute.
    /// </summary>
    public static Prophet ModelFromJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ProphetModelJsonException("the text is empty");
        }

        var json = ModelJson.ParseObject(text, "");
        if (ModelJson.OptionalNumber(json, "mcmc_samples", "") is > 0)
        {
            throw new ProphetModelJsonException("is above 0: only MAP models (mcmc_samples = 0) are supported", "mcmc_samples");
        }

        var seasonalityMode = ParseMode(ModelJson.String(json, "seasonality_mode", ""), "seasonality_mode");
        var holidaysMode = ModelJson.OptionalString(json, "holidays_mode", "") is { } hm ? ParseMode(hm, "holidays_mode") : seasonalityMode;
        var holidays = ModelJson.OptionalString(json, "holidays", "") is { } holidaysText ? ReadHolidays(holidaysText) : null;
        string growth = ModelJson.String(json, "growth", "");
        var options = new ProphetOptions
        {
            Growth = growth switch
            {
                "linear" => Growth.Linear,
                "logistic" => Growth.Logistic,
                "flat" => Growth.Flat,
                _ => throw new ProphetModelJsonException($"is '{growth}', expected linear, logistic or flat", "growth"),
            },
            NChangepoints = ModelJson.Int(json, "n_changepoints", "", 0, 1_000_000),
            ChangepointRange = ModelJson.Number(json, "changepoint_range", ""),
            YearlySeasonality = ParseSetting(json["yearly_seasonality"]),
            WeeklySeasonality = ParseSetting(json["weekly_seasonality"]),
            DailySeasonality = ParseSetting(json["daily_seasonality"]),
            SeasonalityMode = seasonalityMode,
            HolidaysMode = holidaysMode,
            SeasonalityPriorScale = ModelJson.Number(json, "seasonality_prior_scale", ""),
            ChangepointPriorScale = ModelJson.Number(json, "changepoint_prior_scale", ""),
            HolidaysPriorScale = ModelJson.Number(json, "holidays_prior_scale", ""),
            IntervalWidth = ModelJson.Number(json, "interval_width", ""),
            UncertaintySamples = json["uncertainty_samples"] is JsonValue us && us.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? (us.GetValue<bool>() ? 1000 : 0)
                : ModelJson.Int(json, "uncertainty_samples", "", 0, 1_000_000),
            Scaling = ModelJson.OptionalString(json, "scaling", "") == "minmax" ? Scaling.MinMax : Scaling.AbsMax,
            Holidays = holidays,
        };

        var seasonalities = new List<Seasonality>();
        foreach (var (name, s, path) in OrderedDict(json, "seasonalities"))
        {
            seasonalities.Add(new Seasonality(name, Positive(s, "period", path), ModelJson.Int(s, "fourier_order", path, 0, 10_000),
                ModelJson.Number(s, "prior_scale", path), ParseMode(ModelJson.String(s, "mode", path), ModelJson.Join(path, "mode")),
                ModelJson.OptionalString(s, "condition_name", path)));
        }

        var regressors = new List<ExtraRegressor>();
        foreach (var (name, r, path) in OrderedDict(json, "extra_regressors"))
        {
            var standardize = r["standardize"] is JsonValue sv && sv.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? (sv.GetValue<bool>() ? RegressorStandardize.Yes : RegressorStandardize.No)
                : RegressorStandardize.Auto;
            regressors.Add(new ExtraRegressor(name, ModelJson.Number(r, "prior_scale", path), standardize,
                ParseMode(ModelJson.String(r, "mode", path), ModelJson.Join(path, "mode")))
            {
                Mu = ModelJson.Number(r, "mu", path),
                Std = ModelJson.Number(r, "std", path),
            });
        }

        var parameters = ModelJson.Object(ModelJson.Required(json, "params", ""), "params");
        var fitted = new ProphetParameters(
            Single(parameters, "k"),
            Single(parameters, "m"),
            FirstDraw(parameters, "delta"),
            Single(parameters, "sigma_obs"),
            FirstDraw(parameters, "beta"));
        var changepointsT = ModelJson.Array(ModelJson.Required(json, "changepoints_t", ""), "changepoints_t")
            .Select((v, i) => ModelJson.Number(v, ModelJson.Index("changepoints_t", i))).ToArray();
        if (fitted.Delta.Length != changepointsT.Length)
        {
            throw new ProphetModelJsonException($"has {fitted.Delta.Length} values but changepoints_t has {changepointsT.Length}", "params.delta");
        }

        var state = new Prophet.RestoredState(
            YScale: Positive(json, "y_scale", ""),
            YMin: ModelJson.OptionalNumber(json, "y_min", "") ?? 0.0,
            LogisticFloor: ModelJson.OptionalBool(json, "logistic_floor", "") ?? false,
            Start: ModelJson.EpochSeconds(json, "start", ""),
            TScale: ModelJson.PositiveSeconds(json, "t_scale", ""),
            Changepoints: ModelJson.OptionalString(json, "changepoints", "") is { } cp ? ReadDates(cp, "changepoints") : [],
            ChangepointsT: changepointsT,
            HistoryDates: ModelJson.OptionalString(json, "history_dates", "") is { } hd ? ReadDates(hd, "history_dates").Order().ToArray() : [],
            TrainHolidayNames: ModelJson.OptionalString(json, "train_holiday_names", "") is { } th ? ReadSeries(th, "train_holiday_names").ToList() : [],
            History: ReadHistory(ModelJson.String(json, "history", "")),
            Seasonalities: seasonalities,
            Regressors: regressors,
            CountryHolidays: ModelJson.OptionalString(json, "country_holidays", ""),
            Parameters: fitted,
            SpecifiedChangepoints: ModelJson.OptionalBool(json, "specified_changepoints", "") ?? false);
        try
        {
            var model = Prophet.Restore(options, state);
            if (model.FeatureNames.Count != fitted.Beta.Length)
            {
                throw new ProphetModelJsonException($"has {fitted.Beta.Length} values but the model has {model.FeatureNames.Count} features", "params.beta");
            }

            return model;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException or IndexOutOfRangeException
                                      && e is not ProphetModelJsonException)
        {
            // Restoring re-derives the features from the saved history and seasonalities; a saved state that
            // contradicts itself fails there.
            throw new ProphetModelJsonException($"describes a model that cannot be rebuilt ({e.Message})", inner: e);
        }
    }

    private static double Positive(JsonObject obj, string key, string path)
    {
        double value = ModelJson.Number(obj, key, path);
        return value > 0 ? value : throw new ProphetModelJsonException(FormattableString.Invariant($"is {value}, expected a positive number"), ModelJson.Join(path, key));
    }

    /// <summary>prophet's ordered dicts: <c>[[names...], {name: {...}}]</c>; absent or null is empty.</summary>
    private static IEnumerable<(string Name, JsonObject Value, string Path)> OrderedDict(JsonObject json, string key)
    {
        if (json[key] is null)
        {
            yield break;
        }

        var pair = ModelJson.Array(json[key], key);
        if (pair.Count != 2)
        {
            throw new ProphetModelJsonException($"has {pair.Count} items, expected [names, dict]", key);
        }

        var names = ModelJson.Array(pair[0], ModelJson.Index(key, 0));
        var dict = ModelJson.Object(pair[1], ModelJson.Index(key, 1));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            string name = ModelJson.String(names[i], ModelJson.Index(ModelJson.Index(key, 0), i));
            if (!seen.Add(name))
            {
                throw new ProphetModelJsonException($"lists '{name}' twice", ModelJson.Index(key, 0));
            }

            string path = $"{ModelJson.Index(key, 1)}.{name}";
            yield return (name, ModelJson.Object(dict[name], path), path);
        }
    }

    private static double Single(JsonObject parameters, string name)
    {
        var values = FirstDraw(parameters, name);
        return values.Length == 1 ? values[0] : throw new ProphetModelJsonException($"has {values.Length} values, expected one", $"params.{name}");
    }

    private static double[] FirstDraw(JsonObject parameters, string name)
    {
        string path = $"params.{name}";
        var node = ModelJson.Required(parameters, name, "params");
        // draws × dim (Python 1.x MAP: 1 × dim); older files may hold a flat list or a scalar.
        if (node is JsonArray outer && outer.Count > 0 && outer[0] is JsonArray inner)
        {
            return inner.Select((v, i) => ModelJson.Number(v, ModelJson.Index(ModelJson.Index(path, 0), i))).ToArray();
        }

        return node is JsonArray flat
            ? flat.Select((v, i) => ModelJson.Number(v, ModelJson.Index(path, i))).ToArray()
            : [ModelJson.Number(node, path)];
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

    private static SeasonalityMode ParseMode(string mode, string path) => mode switch
    {
        "additive" => SeasonalityMode.Additive,
        "multiplicative" => SeasonalityMode.Multiplicative,
        _ => throw new ProphetModelJsonException($"is '{mode}', expected 'additive' or 'multiplicative'", path),
    };

    private static string IsoDate(DateTime d) => d.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

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

    /// <summary>The data of a pandas <c>Series.to_json(orient='split')</c> string.</summary>
    private static JsonArray SeriesData(string text, string path) =>
        ModelJson.Array(ModelJson.Required(ModelJson.ParseObject(text, path), "data", path), $"{path}.data");

    private static string[] ReadSeries(string text, string path) =>
        SeriesData(text, path).Select(v => v is null ? string.Empty : v.ToString()).ToArray();

    private static DateTime[] ReadDates(string text, string path) =>
        SeriesData(text, path).Select((v, i) => ModelJson.Date(v, ModelJson.Index($"{path}.data", i))).ToArray();

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
        var node = ModelJson.ParseObject(text, "history");
        var schema = ModelJson.Object(ModelJson.Required(node, "schema", "history"), "history.schema");
        var fields = ModelJson.Array(ModelJson.Required(schema, "fields", "history.schema"), "history.schema.fields").Select((f, i) =>
        {
            string path = ModelJson.Index("history.schema.fields", i);
            var field = ModelJson.Object(f, path);
            return (Name: ModelJson.String(field, "name", path), Type: ModelJson.String(field, "type", path));
        }).ToList();
        if (fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != fields.Count)
        {
            throw new ProphetModelJsonException("names a column twice", "history.schema.fields");
        }

        var rows = ModelJson.Array(ModelJson.Required(node, "data", "history"), "history.data")
            .Select((r, i) => ModelJson.Object(r, ModelJson.Index("history.data", i))).ToArray();
        if (rows.Length == 0)
        {
            throw new ProphetModelJsonException("has no rows", "history.data");
        }

        var frame = new ProphetFrame(rows.Select((r, i) => ModelJson.Date(r["ds"], $"{ModelJson.Index("history.data", i)}.ds")).ToArray());
        foreach (var (name, type) in fields)
        {
            if (name is "ds" or "index" or "t" or "y_scaled" or "cap_scaled")
            {
                continue;
            }

            if (type == "boolean")
            {
                frame.Add(name, rows.Select((r, i) => r[name] is null ? false : ModelJson.Bool(r[name], $"{ModelJson.Index("history.data", i)}.{name}")).ToArray());
            }
            else if (type is "number" or "integer")
            {
                frame.Add(name, rows.Select((r, i) => ModelJson.NumberOrNaN(r[name], $"{ModelJson.Index("history.data", i)}.{name}")).ToArray());
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
        var node = ModelJson.ParseObject(text, "holidays");
        return ModelJson.Array(ModelJson.Required(node, "data", "holidays"), "holidays.data").Select((row, i) =>
        {
            string path = ModelJson.Index("holidays.data", i);
            var r = ModelJson.Object(row, path);
            return new HolidayEvent(
                ModelJson.String(r, "holiday", path),
                ModelJson.Date(r["ds"], $"{path}.ds"),
                r["lower_window"] is null ? 0 : ModelJson.Int(r["lower_window"], $"{path}.lower_window", -100_000, 0),
                r["upper_window"] is null ? 0 : ModelJson.Int(r["upper_window"], $"{path}.upper_window", 0, 100_000),
                ModelJson.OptionalNumber(r, "prior_scale", path));
        }).ToList();
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
