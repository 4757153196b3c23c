namespace Forecast.Prophet;

/// <summary>
/// The regression matrix X of the model (rows × columns, row-major), its column names, prior scales and the
/// additive/multiplicative indicators s_a, s_m (forecaster.py: <c>make_all_seasonality_features</c>,
/// <c>regressor_column_matrix</c>; spec §7).
/// </summary>
public sealed class FeatureMatrix
{
    internal FeatureMatrix(int rows, IReadOnlyList<string> names, double[] values, double[] priorScales,
        IReadOnlyList<string> componentOfColumn, double[] sA, double[] sM)
    {
        Rows = rows;
        Names = names;
        Values = values;
        PriorScales = priorScales;
        ComponentOfColumn = componentOfColumn;
        SA = sA;
        SM = sM;
    }

    public int Rows { get; }

    public int Columns => Names.Count;

    public IReadOnlyList<string> Names { get; }

    /// <summary>X, row-major: X[i, j] = Values[i * Columns + j].</summary>
    public double[] Values { get; }

    public double[] PriorScales { get; }

    /// <summary>The component (seasonality, holiday or regressor name) each column belongs to; "zeros" for the placeholder.</summary>
    public IReadOnlyList<string> ComponentOfColumn { get; }

    public double[] SA { get; }

    public double[] SM { get; }

    public double this[int row, int column] => Values[(row * Columns) + column];
}
