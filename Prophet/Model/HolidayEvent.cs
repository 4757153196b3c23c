namespace Forecast.Prophet;

/// <summary>
/// One row of prophet's holidays data frame: the holiday <paramref name="Name"/> on <paramref name="Date"/>, with
/// effects on the days <paramref name="LowerWindow"/>..<paramref name="UpperWindow"/> around it (spec §5.2).
/// </summary>
/// <param name="LowerWindow">Days before the date, as a number &lt;= 0.</param>
/// <param name="UpperWindow">Days after the date, as a number &gt;= 0.</param>
/// <param name="PriorScale">Prior scale of this holiday's columns; null = the model's holidays_prior_scale.</param>
public sealed record HolidayEvent(
    string Name,
    DateTime Date,
    int LowerWindow = 0,
    int UpperWindow = 0,
    double? PriorScale = null);
