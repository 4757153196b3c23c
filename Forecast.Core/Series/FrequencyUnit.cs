namespace Forecast.Core.Series;

/// <summary>The calendar unit of a sampling frequency. Month, quarter and year distinguish period start from period end, as pandas' MS/ME.</summary>
public enum FrequencyUnit
{
    Minute,
    Hour,
    Day,
    Week,
    MonthStart,
    MonthEnd,
    QuarterStart,
    QuarterEnd,
    YearStart,
    YearEnd,
}
