using System.Diagnostics.CodeAnalysis;

namespace Forecast.Prophet;

/// <summary>
/// A frame after prophet's <c>setup_dataframe</c>: sorted by ds, with scaled time t, floor, scaled cap and y, and
/// standardised regressors (spec §2). Row order is the sorted order of <see cref="Source"/>.
/// </summary>
internal sealed class PreparedFrame
{
    public required ProphetFrame Source { get; init; }

    public required DateTime[] Ds { get; init; }

    public required double[] T { get; init; }

    /// <summary>Floor on the original scale (0 unless logistic growth with a floor column, or min-max scaling).</summary>
    /// <remarks>Null at init means zeros, made on first read (a fitted model's history rarely needs them).</remarks>
    [AllowNull]
    public required double[] Floor
    {
        get => _floor ??= new double[RowCount];
        init => _floor = value;
    }

    private double[]? _floor;

    /// <summary>cap on the original scale (logistic growth only).</summary>
    public double[]? Cap { get; init; }

    public double[]? CapScaled { get; init; }

    public double[]? Y { get; init; }

    public double[]? YScaled { get; init; }

    /// <summary>Extra regressor columns after standardisation, by name.</summary>
    public required Dictionary<string, double[]> Regressors { get; init; }

    /// <summary>Condition columns of conditional seasonalities, by name.</summary>
    public required Dictionary<string, bool[]> Conditions { get; init; }

    public int RowCount => Ds.Length;
}
