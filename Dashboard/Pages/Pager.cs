namespace Forecast.Dashboard.Pages;

/// <summary>
/// One page of a long list (runs, series) and the links to its neighbours. Pages never render a whole list, so a run
/// with thousands of series stays a small page. The query parameter is "p": "page" is a reserved route value of Razor Pages.
/// </summary>
public sealed class Pager
{
    public Pager(int total, int requestedPage, int pageSize, string noun, Func<int, string> url)
    {
        Total = total;
        PageSize = pageSize;
        Pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        Page = Math.Clamp(requestedPage, 1, Pages);
        Noun = noun;
        Url = url;
    }

    public int Total { get; }
    public int PageSize { get; }
    public int Pages { get; }
    public int Page { get; }
    public string Noun { get; }
    public Func<int, string> Url { get; }

    public IEnumerable<T> Slice<T>(IEnumerable<T> items) => items.Skip((Page - 1) * PageSize).Take(PageSize);
}
