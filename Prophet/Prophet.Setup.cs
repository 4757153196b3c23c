using System.Globalization;
using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>Data preparation, changepoints and the regression features (forecaster.py, in pipeline order).</summary>
public sealed partial class Prophet
{
    /// <summary>
    /// Validates and prepares a frame (forecaster.py: <c>setup_dataframe</c>; spec §2): sorts by ds, checks
    /// y/cap/floor/regressor/condition columns, and adds scaled t, y, cap and standardised regressors. Scales are
    /// computed from this frame only when <paramref name="initializeScales"/> (during fit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal PreparedFrame SetupDataFrame(ProphetFrame df, bool initializeScales = false)
    {
        var y = df.Y;
        if (y is not null)
        {
            for (var i = 0; i < y.Length; i++)
            {
                if (double.IsInfinity(y[i]))
                {
                    throw new ArgumentException($"Found infinity in column y (row {i}, ds {df.Ds[i]:yyyy-MM-dd HH:mm:ss}).", nameof(df));
                }
            }
        }

        foreach (var name in _regressorOrder)
        {
            var values = df.TryGetNumeric(name) ?? throw new ArgumentException(
                $"Regressor '{name}' missing from dataframe; add a column '{name}' with a value for every row (history and future).", nameof(df));
            for (var i = 0; i < values.Length; i++)
            {
                if (double.IsNaN(values[i]))
                {
                    throw new ArgumentException(
                        $"Found NaN in column '{name}' (row {i}, ds {df.Ds[i]:yyyy-MM-dd HH:mm:ss}); regressor values must be known for every row, including future rows.", nameof(df));
                }
            }
        }

        foreach (var name in _seasonalityOrder)
        {
            var seasonality = _seasonalities[name];
            if (seasonality.ConditionName is { } condition && ConditionColumn(df, condition) is null)
            {
                throw new ArgumentException(
                    $"Condition '{condition}' missing from dataframe (needed by seasonality '{seasonality.Name}'); add a boolean column '{condition}'.", nameof(df));
            }
        }

        var sorted = IsStrictlyIncreasing(df.Ds) ? df.Clone() : df.Select(SortedOrder(df.Ds));
        if (initializeScales)
        {
            InitializeScales(sorted);
        }

        var n = sorted.RowCount;
        double[]? floor = null; // null: zeros (PreparedFrame makes the array only if it is read)
        if (LogisticFloor)
        {
            floor = sorted.TryGetNumeric("floor") ?? throw new ArgumentException(
                "Expected column \"floor\": the model was fitted with a floor, so every frame needs one.", nameof(df));
        }
        else if (Options.Scaling == Scaling.MinMax)
        {
            floor = new double[n];
            Array.Fill(floor, YMin);
        }

        double[]? cap = null, capScaled = null;
        if (Options.Growth == Growth.Logistic)
        {
            cap = sorted.TryGetNumeric("cap") ?? throw new ArgumentException(
                "Capacities must be supplied for logistic growth in column \"cap\".", nameof(df));
            capScaled = new double[n];
            for (var i = 0; i < n; i++)
            {
                var f = floor is null ? 0.0 : floor[i];
                if (!(cap[i] > f))
                {
                    throw new ArgumentException(
                        $"Capacity must be greater than floor: row with ds {sorted.Ds[i]:yyyy-MM-dd HH:mm:ss} has cap {cap[i]} and floor {f}.", nameof(df));
                }

                capScaled[i] = (cap[i] - f) / YScale;
            }
        }

        var t = new double[n];
        var tScaleSeconds = TScale.Ticks / (double)TimeSpan.TicksPerSecond;
        for (var i = 0; i < n; i++)
        {
            t[i] = (sorted.Ds[i] - Start).Ticks / (double)TimeSpan.TicksPerSecond / tScaleSeconds;
        }

        double[]? ySorted = sorted.Y, yScaled = null;
        if (ySorted is not null)
        {
            yScaled = new double[n];
            for (var i = 0; i < n; i++)
            {
                yScaled[i] = (ySorted[i] - (floor is null ? 0.0 : floor[i])) / YScale;
            }
        }

        var regressors = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var name in _regressorOrder)
        {
            var props = _extraRegressors[name];
            var raw = sorted.GetNumeric(name);
            var standardised = new double[n];
            for (var i = 0; i < n; i++)
            {
                standardised[i] = (raw[i] - props.Mu) / props.Std;
            }

            regressors[name] = standardised;
        }

        var conditions = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        foreach (var seasonality in _seasonalities.Values)
        {
            if (seasonality.ConditionName is { } condition)
            {
                conditions[condition] = ConditionColumn(sorted, condition)!;
            }
        }

        return new PreparedFrame
        {
            Source = sorted,
            Ds = sorted.Ds,
            T = t,
            Floor = floor,
            Cap = cap,
            CapScaled = capScaled,
            Y = ySorted,
            YScaled = yScaled,
            Regressors = regressors,
            Conditions = conditions,
        };
    }

    /// <summary>A condition column as booleans: a boolean column, or a numeric one holding only 0/1.</summary>
    private static bool[]? ConditionColumn(ProphetFrame df, string name)
    {
        if (df.TryGetBoolean(name) is { } flags)
        {
            return flags;
        }

        if (df.TryGetNumeric(name) is not { } numeric)
        {
            return null;
        }

        var result = new bool[numeric.Length];
        for (var i = 0; i < numeric.Length; i++)
        {
            result[i] = numeric[i] switch
            {
                1.0 => true,
                0.0 => false,
                _ => throw new ArgumentException($"Found non-boolean in column '{name}' (row {i}: {numeric[i]}); condition columns must be true/false."),
            };
        }

        return result;
    }

    /// <summary>forecaster.py: <c>initialize_scales</c> (spec §2 step 6 and §6).</summary>
    private void InitializeScales(ProphetFrame history)
    {
        var y = history.Y!;
        var n = history.RowCount;
        var floorColumn = history.TryGetNumeric("floor");
        if (Options.Growth == Growth.Logistic && floorColumn is not null)
        {
            LogisticFloor = true;
            if (Options.Scaling == Scaling.AbsMax)
            {
                YMin = Enumerable.Range(0, n).Min(i => Math.Abs(y[i] - floorColumn[i]));
                YScale = Enumerable.Range(0, n).Max(i => Math.Abs(y[i] - floorColumn[i]));
            }
            else
            {
                var cap = history.TryGetNumeric("cap") ?? throw new ArgumentException("Capacities must be supplied for logistic growth in column \"cap\".");
                YMin = floorColumn.Min();
                YScale = cap.Max() - YMin;
            }
        }
        else if (Options.Scaling == Scaling.AbsMax)
        {
            YMin = 0;
            YScale = MaxAbs(y);
        }
        else
        {
            YMin = y.Min();
            YScale = y.Max() - YMin;
        }

        if (YScale == 0)
        {
            YScale = 1;
        }

        Start = history.Ds[0];
        TScale = history.Ds[^1] - Start;
        if (TScale <= TimeSpan.Zero)
        {
            throw new ArgumentException($"All history rows have the same ds ({Start:yyyy-MM-dd HH:mm:ss}); prophet needs at least two distinct dates.");
        }

        foreach (var name in _regressorOrder)
        {
            var props = _extraRegressors[name];
            var values = history.GetNumeric(name);
            var unique = values.Distinct().ToArray();
            var standardize = props.Standardize;
            var doStandardize = standardize switch
            {
                RegressorStandardize.No => false,
                RegressorStandardize.Yes => true,
                // 'auto': binary {0, 1} regressors are left as they are.
                _ => !(unique.Length == 2 && unique.Contains(0.0) && unique.Contains(1.0)),
            };
            if (unique.Length < 2)
            {
                doStandardize = false;
            }

            if (doStandardize)
            {
                var mu = values.Average();
                var variance = values.Sum(v => (v - mu) * (v - mu)) / (values.Length - 1);
                _extraRegressors[name] = props with { Mu = mu, Std = Math.Sqrt(variance) };
            }
            else
            {
                _extraRegressors[name] = props with { Mu = 0, Std = 1 };
            }
        }
    }

    /// <summary>max |v| (y holds no NaN here: rows with a missing y are dropped before).</summary>
    private static double MaxAbs(double[] values)
    {
        var max = Math.Abs(values[0]);
        for (var i = 1; i < values.Length; i++)
        {
            var a = Math.Abs(values[i]);
            if (a > max)
            {
                max = a;
            }
        }

        return max;
    }

    /// <summary>forecaster.py: <c>set_changepoints</c> (spec §3).</summary>
    internal void SetChangepoints()
    {
        var history = PreparedHistory!;
        if (Options.Changepoints is { } explicitChangepoints)
        {
            var outside = false;
            foreach (var changepoint in explicitChangepoints)
            {
                outside |= changepoint < history.Ds[0] || changepoint > history.Ds[^1];
            }

            if (outside)
            {
                throw new ArgumentException(
                    $"Changepoints must fall within training data ({history.Ds[0]:yyyy-MM-dd HH:mm:ss} to {history.Ds[^1]:yyyy-MM-dd HH:mm:ss}).");
            }

            Changepoints = [.. explicitChangepoints];
        }
        else
        {
            var histSize = (int)Math.Floor(history.RowCount * Options.ChangepointRange);
            if (NChangepoints + 1 > histSize)
            {
                NChangepoints = Math.Max(histSize - 1, 0);
            }

            if (NChangepoints > 0)
            {
                // np.linspace(0, hist_size - 1, n + 1).round() (half to even), dropping the first index.
                var step = (histSize - 1) / (double)NChangepoints;
                Changepoints = new DateTime[NChangepoints];
                for (var i = 1; i <= NChangepoints; i++)
                {
                    Changepoints[i - 1] = history.Ds[(int)Math.Round(i * step, MidpointRounding.ToEven)];
                }
            }
            else
            {
                Changepoints = [];
            }
        }

        var tScaleSeconds = TScale.Ticks / (double)TimeSpan.TicksPerSecond;
        if (Changepoints.Length == 0)
        {
            ChangepointsT = [0.0];
            return;
        }

        var changepointsT = new double[Changepoints.Length];
        for (var i = 0; i < changepointsT.Length; i++)
        {
            changepointsT[i] = (Changepoints[i] - Start).Ticks / (double)TimeSpan.TicksPerSecond / tScaleSeconds;
        }

        Array.Sort(changepointsT);
        ChangepointsT = changepointsT;
    }

    /// <summary>forecaster.py: <c>set_auto_seasonalities</c> and <c>parse_seasonality_args</c> (spec §4.2).</summary>
    private void SetAutoSeasonalities()
    {
        var ds = PreparedHistory!.Ds;
        var first = ds[0];
        var last = ds[^1];
        var minDt = TimeSpan.MaxValue;
        for (var i = 1; i < ds.Length; i++)
        {
            var dt = ds[i] - ds[i - 1];
            if (dt > TimeSpan.Zero && dt < minDt)
            {
                minDt = dt;
            }
        }

        var span = last - first;
        AddBuiltInSeasonality("yearly", Options.YearlySeasonality, span < TimeSpan.FromDays(730), 365.25, 10);
        AddBuiltInSeasonality("weekly", Options.WeeklySeasonality, span < TimeSpan.FromDays(14) || minDt >= TimeSpan.FromDays(7), 7, 3);
        AddBuiltInSeasonality("daily", Options.DailySeasonality, span < TimeSpan.FromDays(2) || minDt >= TimeSpan.FromDays(1), 1, 4);
    }

    private void AddBuiltInSeasonality(string name, SeasonalitySetting setting, bool autoDisable, double period, int defaultOrder)
    {
        var order = setting.Kind switch
        {
            "auto" => _seasonalities.ContainsKey(name) || autoDisable ? 0 : defaultOrder,
            "true" => defaultOrder,
            "false" => 0,
            _ => setting.Order,
        };
        if (order <= 0)
        {
            return;
        }

        if (!_seasonalities.ContainsKey(name))
        {
            _seasonalityOrder.Add(name);
        }

        _seasonalities[name] = new Seasonality(name, period, order, Options.SeasonalityPriorScale, Options.SeasonalityMode, null);
    }

    /// <summary>
    /// The holidays table for <paramref name="dates"/> (forecaster.py: <c>construct_holiday_dataframe</c>; spec §5.1):
    /// user holidays plus country holidays of the years present; after fit, restricted to the training holiday names.
    /// </summary>
    internal List<HolidayEvent> ConstructHolidayDataFrame(IReadOnlyList<DateTime> dates)
    {
        var all = new List<HolidayEvent>();
        if (Options.Holidays is { } user)
        {
            all.AddRange(user);
        }

        if (CountryHolidays is { } country)
        {
            var years = dates.Select(d => d.Year).Distinct().Order();
            all.AddRange(CountryHolidayCalendar.Holidays(country, years));
        }

        if (IsFitted || TrainHolidayNames.Count > 0)
        {
            var train = new HashSet<string>(TrainHolidayNames, StringComparer.Ordinal);
            all = all.Where(h => train.Contains(h.Name)).ToList();
            var present = new HashSet<string>(all.Select(h => h.Name), StringComparer.Ordinal);
            foreach (var name in TrainHolidayNames.Where(n => !present.Contains(n)))
            {
                all.Add(new HolidayEvent(name, default));
            }
        }

        return all;
    }

    /// <summary>
    /// Builds X with its prior scales and component bookkeeping for a prepared frame (forecaster.py:
    /// <c>make_all_seasonality_features</c>, <c>regressor_column_matrix</c>; spec §4, §5, §6, §7). During fit this
    /// fixes the feature names, the training holiday names, component modes and component columns; afterwards the
    /// columns are aligned to the training ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal FeatureMatrix MakeAllSeasonalityFeatures(PreparedFrame df, bool fourierByRecurrence = false, bool scratchX = false)
    {
        var fitting = !IsFitted && FeatureNames.Count == 0;
        var n = df.RowCount;
        var expected = _regressorOrder.Count + 1; // the columns known before the holidays (sized once, not grown)
        foreach (var seasonality in _seasonalities.Values)
        {
            expected += 2 * seasonality.FourierOrder;
        }

        var names = new List<string>(expected);
        var components = new List<string>(expected);
        var priorScales = new List<double>(expected);
        var columns = new List<FeatureSource>(expected);
        var modes = new Dictionary<SeasonalityMode, List<string>> { [SeasonalityMode.Additive] = [], [SeasonalityMode.Multiplicative] = [] };

        foreach (var seasonalityName in _seasonalityOrder)
        {
            var seasonality = _seasonalities[seasonalityName];
            var width = 2 * seasonality.FourierOrder;
            var on = seasonality.ConditionName is { } condition ? df.Conditions[condition] : null;
            var block = new FourierBlock(df.Ds, seasonality, on, fourierByRecurrence);
            for (var j = 0; j < width; j++)
            {
                names.Add(string.Concat(seasonality.Name, HolidayFeatures.Delimiter, (j + 1).ToString(CultureInfo.InvariantCulture)));
                components.Add(seasonality.Name);
                priorScales.Add(seasonality.PriorScale);
                columns.Add(new FeatureSource(null, width, j, null, block));
            }

            modes[seasonality.Mode].Add(seasonality.Name);
        }

        var holidays = ConstructHolidayDataFrame(df.Ds);
        if (holidays.Count > 0)
        {
            if (fitting)
            {
                TrainHolidayNames = holidays.Select(h => h.Name).Distinct().ToList();
            }

            var holidayColumns = HolidayFeatures.Make(df.Ds, holidays, Options.HolidaysPriorScale, Options.HolidayColumnOrder);
            foreach (var column in holidayColumns)
            {
                names.Add(column.Name);
                components.Add(column.Holiday);
                priorScales.Add(column.PriorScale);
                columns.Add(new FeatureSource(null, 0, 0, column.Values, null));
            }

            modes[Options.EffectiveHolidaysMode].AddRange(holidays.Select(h => h.Name).Distinct());
        }

        foreach (var name in _regressorOrder)
        {
            var values = df.Regressors[name];
            names.Add(name);
            components.Add(name);
            priorScales.Add(_extraRegressors[name].PriorScale);
            columns.Add(new FeatureSource(values, 1, 0, null, null));
            modes[_extraRegressors[name].Mode].Add(name);
        }

        if (names.Count == 0)
        {
            names.Add("zeros");
            components.Add("zeros");
            priorScales.Add(1.0);
            columns.Add(default);
        }

        if (fitting)
        {
            FeatureNames = names;
            BuildComponentColumns(components, modes);
        }
        else
        {
            // Align to the training columns (a holiday window absent from these dates gives a zero column).
            var index = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
            var aligned = new List<FeatureSource>(FeatureNames.Count);
            foreach (var name in FeatureNames)
            {
                aligned.Add(index.TryGetValue(name, out var i) ? columns[i] : default);
            }

            columns = aligned;
            names = FeatureNames.ToList();
            priorScales = _stanData!.Sigmas.ToList();
            components = FeatureNames.Select(ComponentOfFeature).ToList();
        }

        var k = names.Count;
        var x = scratchX ? FitBuffers.Rent(n * k) : new double[n * k];
        for (var j = 0; j < k; j++)
        {
            if (columns[j].Fourier is { } fourier && WholeBlockAt(columns, j, fourier))
            {
                // A seasonality's columns in their own order (always while fitting): computed straight into X's rows.
                fourier.FillRows(x, k, j);
                j += fourier.Width - 1;
                continue;
            }

            columns[j].CopyTo(x, k, j, n);
        }

        var sA = new double[k];
        var sM = new double[k];
        var additive = ComponentColumnsOf("additive_terms");
        var multiplicative = ComponentColumnsOf("multiplicative_terms");
        foreach (var j in additive)
        {
            sA[j] = 1;
        }

        foreach (var j in multiplicative)
        {
            sM[j] = 1;
        }

        return new FeatureMatrix(n, names, x, priorScales.ToArray(), components, sA, sM);
    }

    /// <summary>True when columns j .. j + width - 1 are <paramref name="fourier"/>'s columns 0 .. width - 1 in order.</summary>
    private static bool WholeBlockAt(List<FeatureSource> columns, int j, FourierBlock fourier)
    {
        if (j + fourier.Width > columns.Count)
        {
            return false;
        }

        for (var offset = 0; offset < fourier.Width; offset++)
        {
            if (!ReferenceEquals(columns[j + offset].Fourier, fourier) || columns[j + offset].Offset != offset)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where column j of X comes from: column <c>Offset</c> of a seasonality's Fourier block, column <c>Offset</c> of
    /// a row-major block <c>Width</c> wide (a regressor, width 1), a holiday's indicator flags, or zeros (all null).
    /// </summary>
    private readonly record struct FeatureSource(double[]? Block, int Width, int Offset, bool[]? Flags, FourierBlock? Fourier)
    {
        /// <summary>Writes the column into column <paramref name="column"/> of the row-major n × k matrix <paramref name="x"/>.</summary>
        public void CopyTo(double[] x, int k, int column, int n)
        {
            var block = Fourier?.Values ?? Block;
            if (block is not null)
            {
                for (var i = 0; i < n; i++)
                {
                    x[(i * k) + column] = block[(i * Width) + Offset];
                }
            }
            else if (Flags is { } flags)
            {
                for (var i = 0; i < n; i++)
                {
                    x[(i * k) + column] = flags[i] ? 1.0 : 0.0;
                }
            }
        }
    }

    /// <summary>
    /// A seasonality's Fourier columns (prophet's <c>fourier_series</c>, zero on rows where its condition is off), written
    /// straight into X's rows when its columns are contiguous there, else materialised once as a block.
    /// </summary>
    private sealed class FourierBlock(DateTime[] ds, Seasonality seasonality, bool[]? on, bool byRecurrence)
    {
        private double[]? _values;

        public int Width => 2 * seasonality.FourierOrder;

        /// <summary>The n × Width block, row-major (computed on first use).</summary>
        public double[] Values
        {
            get
            {
                if (_values is null)
                {
                    _values = new double[ds.Length * Width];
                    FillRows(_values, Width, 0);
                }

                return _values;
            }
        }

        /// <summary>Writes the columns into columns column .. column + Width - 1 of the row-major matrix x with k columns.</summary>
        public void FillRows(double[] x, int k, int column)
        {
            var width = Width;
            for (var i = 0; i < ds.Length; i++)
            {
                var row = x.AsSpan((i * k) + column, width);
                if (on is not null && !on[i])
                {
                    row.Clear();
                }
                else if (byRecurrence)
                {
                    FourierSeries.FillByRecurrence(ds[i], seasonality.Period, seasonality.FourierOrder, row);
                }
                else
                {
                    FourierSeries.Fill(ds[i], seasonality.Period, seasonality.FourierOrder, row);
                }
            }
        }
    }

    private string ComponentOfFeature(string featureName)
    {
        var at = featureName.IndexOf(HolidayFeatures.Delimiter, StringComparison.Ordinal);
        return at >= 0 ? featureName[..at] : featureName;
    }

    private int[] ComponentColumnsOf(string component) =>
        TrainComponentColumns.FirstOrDefault(p => p.Key == component).Value ?? [];

    /// <summary>forecaster.py: <c>regressor_column_matrix</c> and <c>add_group_component</c>.</summary>
    /// <remarks>
    /// Plain lists and loops rather than dictionaries, sets and LINQ: a model has a few dozen components at most, and a
    /// fit runs this once, usually with its code out of the cache (a series fitted alone, or the first of a batch), where
    /// every generic collection's code it walks costs more than the search.
    /// </remarks>
    private void BuildComponentColumns(List<string> componentOfColumn, Dictionary<SeasonalityMode, List<string>> modes)
    {
        var components = new List<string>();
        var columnsOf = new List<List<int>>();
        for (var j = 0; j < componentOfColumn.Count; j++)
        {
            AddColumn(components, columnsOf, componentOfColumn[j], j);
        }

        if (TrainHolidayNames.Count > 0)
        {
            AddGroup(components, columnsOf, componentOfColumn, "holidays", TrainHolidayNames);
        }

        foreach (var mode in (ReadOnlySpan<SeasonalityMode>)[SeasonalityMode.Additive, SeasonalityMode.Multiplicative])
        {
            var additive = mode == SeasonalityMode.Additive;
            var terms = additive ? "additive_terms" : "multiplicative_terms";
            var extraRegressors = additive ? "extra_regressors_additive" : "extra_regressors_multiplicative";
            AddGroup(components, columnsOf, componentOfColumn, terms, modes[mode]);
            var regressors = new List<string>();
            foreach (var name in _regressorOrder)
            {
                if (_extraRegressors[name].Mode == mode)
                {
                    regressors.Add(name);
                }
            }

            AddGroup(components, columnsOf, componentOfColumn, extraRegressors, regressors);
            modes[mode].Add(terms);
            modes[mode].Add(extraRegressors);
        }

        modes[Options.EffectiveHolidaysMode].Add("holidays");
        foreach (var always in (ReadOnlySpan<string>)["additive_terms", "multiplicative_terms"])
        {
            if (IndexOf(components, always) < 0)
            {
                components.Add(always);
                columnsOf.Add([]);
            }
        }

        var zeros = IndexOf(components, "zeros");
        if (zeros >= 0)
        {
            components.RemoveAt(zeros);
            columnsOf.RemoveAt(zeros);
        }

        // Components in prophet's name order (insertion sort: the names are distinct, so any sort gives this order).
        var order = new int[components.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var at = i;
            while (at > 0 && HolidayFeatures.CompareNames(components[order[at - 1]], components[i], Options.HolidayColumnOrder) > 0)
            {
                order[at] = order[at - 1];
                at--;
            }

            order[at] = i;
        }

        var table = new List<KeyValuePair<string, int[]>>(order.Length);
        foreach (var i in order)
        {
            var columns = columnsOf[i].ToArray();
            Array.Sort(columns);
            table.Add(new KeyValuePair<string, int[]>(components[i], columns));
        }

        TrainComponentColumns = table;
        ComponentModes = new Dictionary<SeasonalityMode, IReadOnlyList<string>>
        {
            [SeasonalityMode.Additive] = modes[SeasonalityMode.Additive],
            [SeasonalityMode.Multiplicative] = modes[SeasonalityMode.Multiplicative],
        };
    }

    private static int IndexOf(List<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AddColumn(List<string> components, List<List<int>> columnsOf, string component, int column)
    {
        var i = IndexOf(components, component);
        if (i < 0)
        {
            components.Add(component);
            columnsOf.Add([]);
            i = components.Count - 1;
        }

        if (!columnsOf[i].Contains(column))
        {
            columnsOf[i].Add(column);
        }
    }

    /// <summary>prophet's <c>add_group_component</c>: the columns of every member component, under the group's name.</summary>
    private static void AddGroup(List<string> components, List<List<int>> columnsOf, List<string> componentOfColumn, string group,
        IReadOnlyList<string> members)
    {
        for (var j = 0; j < componentOfColumn.Count; j++)
        {
            for (var m = 0; m < members.Count; m++)
            {
                if (string.Equals(members[m], componentOfColumn[j], StringComparison.Ordinal))
                {
                    AddColumn(components, columnsOf, group, j);
                    break;
                }
            }
        }
    }
}
