using PublicHoliday;

namespace Forecast.Prophet;

/// <summary>
/// Built-in country holidays for <see cref="Prophet.AddCountryHolidays"/> (forecaster.py:
/// <c>add_country_holidays</c>, make_holidays.py), computed with the PublicHoliday 3.17.0 package. One row per
/// (date, name) as prophet's table: the holiday on its actual date and, where the observed day differs (a weekend
/// holiday moved to a weekday), a second holiday "{name} (Observed)" on the observed date — the convention of the
/// Python <c>holidays</c> package that generated R prophet's table.
/// For the US the names are the <c>holidays</c> package's English names ("New Year's Day", "Martin Luther King Jr.
/// Day", "Washington's Birthday", ...), which reproduces R prophet 1.0's US table on the golden data; for other
/// countries the names come from PublicHoliday's per-holiday method names ("Easter Monday"), so they differ from Python prophet's.
/// </summary>
public static class CountryHolidayCalendar
{
    private static readonly Dictionary<string, Func<PublicHolidayBase>> Calendars = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = () => new USAPublicHoliday(),
        ["GB"] = () => new UKBankHoliday(),
        ["UK"] = () => new UKBankHoliday(),
        ["AT"] = () => new AustriaPublicHoliday(),
        ["AU"] = () => new AustraliaPublicHoliday(),
        ["BE"] = () => new BelgiumPublicHoliday(),
        ["BR"] = () => new BrazilPublicHoliday(),
        ["CA"] = () => new CanadaPublicHoliday(),
        ["CH"] = () => new SwitzerlandPublicHoliday(),
        ["CZ"] = () => new CzechRepublicPublicHoliday(),
        ["DE"] = () => new GermanPublicHoliday(),
        ["DK"] = () => new DenmarkPublicHoliday(),
        ["EE"] = () => new EstoniaPublicHoliday(),
        ["ES"] = () => new SpainPublicHoliday(),
        ["FI"] = () => new FinlandPublicHoliday(),
        ["FR"] = () => new FrancePublicHoliday(),
        ["GR"] = () => new GreecePublicHoliday(),
        ["HR"] = () => new CroatiaPublicHoliday(),
        ["HU"] = () => new HungaryPublicHoliday(),
        ["IE"] = () => new IrelandPublicHoliday(),
        ["IT"] = () => new ItalyPublicHoliday(),
        ["JP"] = () => new JapanPublicHoliday(),
        ["KZ"] = () => new KazakhstanPublicHoliday(),
        ["LT"] = () => new LithuaniaPublicHoliday(),
        ["LU"] = () => new LuxembourgPublicHoliday(),
        ["LV"] = () => new LatviaPublicHoliday(),
        ["ME"] = () => new MontenegroPublicHoliday(),
        ["MX"] = () => new MexicoPublicHoliday(),
        ["NL"] = () => new DutchPublicHoliday(),
        ["NO"] = () => new NorwayPublicHoliday(),
        ["NZ"] = () => new NewZealandPublicHoliday(),
        ["PL"] = () => new PolandPublicHoliday(),
        ["PT"] = () => new PortugalPublicHoliday(),
        ["RO"] = () => new RomanianPublicHoliday(),
        ["RS"] = () => new SerbianPublicHoliday(),
        ["SE"] = () => new SwedenPublicHoliday(),
        ["SI"] = () => new SloveniaPublicHoliday(),
        ["SK"] = () => new SlovakiaPublicHoliday(),
        ["TR"] = () => new TurkeyPublicHoliday(),
        ["ZA"] = () => new SouthAfricaPublicHoliday(),
    };

    /// <summary>The US names of the Python <c>holidays</c> package, by PublicHoliday's holiday id.</summary>
    private static readonly Dictionary<string, string> UnitedStatesNames = new(StringComparer.Ordinal)
    {
        ["NewYear"] = "New Year's Day",
        ["MartinLutherKing"] = "Martin Luther King Jr. Day",
        ["PresidentsDay"] = "Washington's Birthday",
        ["MemorialDay"] = "Memorial Day",
        ["Juneteenth"] = "Juneteenth National Independence Day",
        ["IndependenceDay"] = "Independence Day",
        ["LaborDay"] = "Labor Day",
        ["ColumbusDay"] = "Columbus Day",
        ["VeteransDay"] = "Veterans Day",
        ["Thanksgiving"] = "Thanksgiving",
        ["Christmas"] = "Christmas Day",
    };

    /// <summary>ISO 3166-1 alpha-2 codes accepted by <see cref="Prophet.AddCountryHolidays"/> (plus "UK" for GB).</summary>
    public static IReadOnlyList<string> SupportedCountries { get; } = Calendars.Keys.Order(StringComparer.Ordinal).ToList();

    public static bool IsSupported(string country) => Calendars.ContainsKey(country);

    /// <summary>The holiday rows of <paramref name="country"/> for the given calendar years.</summary>
    public static IReadOnlyList<HolidayEvent> Holidays(string country, IEnumerable<int> years)
    {
        if (!Calendars.TryGetValue(country, out var factory))
        {
            throw new ArgumentException($"Holidays in '{country}' are not supported. Supported codes: {string.Join(", ", SupportedCountries)}.", nameof(country));
        }

        var calendar = factory();
        var isUnitedStates = country.Equals("US", StringComparison.OrdinalIgnoreCase);
        var rows = new List<HolidayEvent>();
        var seen = new HashSet<(DateTime, string)>();
        foreach (var year in years)
        {
            // Holiday.Name needs culture data (it throws under InvariantGlobalization), so names come from
            // PublicHoliday's holiday ids (US) or from the calendar's per-holiday methods matched by date.
            var namesByDate = isUnitedStates ? null : NamesByDate(calendar.GetType(), year);
            foreach (var holiday in calendar.PublicHolidaysInformation(year))
            {
                var actual = holiday.HolidayDate.Date;
                string name;
                if (isUnitedStates && UnitedStatesNames.TryGetValue(holiday.IdTextLocalization ?? string.Empty, out var mapped))
                {
                    name = mapped;
                }
                else if (namesByDate is not null && (namesByDate.TryGetValue(actual, out var byDate) || namesByDate.TryGetValue(holiday.ObservedDate.Date, out byDate)))
                {
                    name = byDate;
                }
                else
                {
                    name = string.IsNullOrEmpty(holiday.IdTextLocalization) ? $"Holiday {actual:MM-dd}" : Humanize(holiday.IdTextLocalization);
                }

                if (seen.Add((actual, name)))
                {
                    rows.Add(new HolidayEvent(name, actual));
                }

                var observed = holiday.ObservedDate.Date;
                if (observed != actual && seen.Add((observed, name + " (Observed)")))
                {
                    rows.Add(new HolidayEvent(name + " (Observed)", observed));
                }
            }
        }

        return rows;
    }

    /// <summary>Dates of the calendar's static one-holiday methods (e.g. <c>EasterMonday(int year)</c>) for a year.</summary>
    private static Dictionary<DateTime, string> NamesByDate(Type calendarType, int year)
    {
        var names = new Dictionary<DateTime, string>();
        foreach (var method in calendarType.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        {
            var parameters = method.GetParameters();
            if (parameters.Length != 1 || parameters[0].ParameterType != typeof(int))
            {
                continue;
            }

            DateTime? date;
            try
            {
                date = method.Invoke(null, [year]) switch
                {
                    DateTime d => d,
                    Holiday h => h.HolidayDate,
                    _ => null,
                };
            }
            catch (System.Reflection.TargetInvocationException)
            {
                continue; // a holiday that does not exist in that year
            }

            if (date is { } value)
            {
                names.TryAdd(value.Date, Humanize(method.Name));
            }
        }

        return names;
    }

    /// <summary>"EasterMonday" -> "Easter Monday".</summary>
    private static string Humanize(string identifier)
    {
        var builder = new System.Text.StringBuilder(identifier.Length + 8);
        for (var i = 0; i < identifier.Length; i++)
        {
            if (i > 0 && char.IsUpper(identifier[i]) && !char.IsUpper(identifier[i - 1]))
            {
                builder.Append(' ');
            }

            builder.Append(identifier[i]);
        }

        return builder.ToString();
    }
}
