using System.Net;
using System.Text.RegularExpressions;
using Forecast.Core.Artifacts;

namespace Forecast.Dashboard.Tests;

/// <summary>
/// The run page of a model: auto run shows its choices from the run's artifacts: every option with its backtest score
/// and the number of series that took it, each series' choice, and the selected series' backtest scores.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardAutoTests : IDisposable
{
    private readonly DashboardRuns _runs;
    private readonly DashboardApp _app;
    private readonly HttpClient _client;

    public DashboardAutoTests(DashboardRuns runs)
    {
        _runs = runs;
        _app = new DashboardApp(runs);
        _client = new HttpClient { BaseAddress = _app.BaseAddress };
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private RunSelection Selection() => RunSelection.Parse(
        File.ReadAllBytes(Path.Combine(_runs.Output, "runs", _runs.AutoRun, "model", "auto", "selection.csv")), "selection.csv");

    private static string Table(string html, string id) =>
        Regex.Match(html, $"<table id=\"{id}\"[\\s\\S]*?</table>").Value;

    private static string Text(string cell) => WebUtility.HtmlDecode(Regex.Replace(cell, "<[^>]+>", "")).Trim();

    [Fact]
    public async Task The_run_page_lists_every_option_with_the_series_that_took_it()
    {
        var selection = Selection();
        string html = await _client.GetStringAsync($"/runs/{_runs.AutoRun}");

        var rows = Regex.Matches(Table(html, "auto-options"), "<tr>\\s*<th>([^<]+)</th>\\s*<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[4].Value));
        rows.Keys.Should().Equal(selection.Options);
        foreach (string option in selection.Options)
            rows[option].Should().Be(selection.Latest().Count(r => r.Choice == option), option);
        rows.Values.Sum().Should().Be(9, "the nine series of the fixture each took one option");

        var choices = Regex.Matches(Table(html, "series"), "<td class=\"auto-choice\">([^<]*)</td>").Select(m => m.Groups[1].Value).ToList();
        choices.Should().HaveCount(9).And.OnlyContain(c => selection.Options.Contains(c));
    }

    [Fact]
    public async Task The_selected_series_shows_its_backtest_scores_per_call_with_the_choice()
    {
        var selection = Selection();
        var expected = selection.Of("AirPassengers");
        expected.Should().HaveCount(2, "the holdout call and the forecast beyond the data");

        string html = await _client.GetStringAsync($"/runs/{_runs.AutoRun}?series=AirPassengers");

        var rows = Regex.Matches(Table(html, "auto-series"), "<tr>([\\s\\S]*?)</tr>").Skip(1).Select(m => Regex.Matches(m.Groups[1].Value, "<td[^>]*>([\\s\\S]*?)</td>").Select(c => Text(c.Groups[1].Value)).ToList()).ToList();
        rows.Should().HaveCount(2);
        for (int r = 0; r < 2; r++)
        {
            rows[r][0].Should().Be(expected[r].Cutoff);
            rows[r][2].Should().Be(expected[r].Choice);
            rows[r][3].Should().Be(expected[r].Members);
            int chosen = selection.Options.ToList().IndexOf(expected[r].Choice);
            rows[r][4 + chosen].Should().Be(Forecast.Dashboard.Pages.Formats.Metric(expected[r].Scores[chosen]));
        }
    }

    [Fact]
    public async Task Runs_of_other_models_have_no_selection_section()
    {
        string html = await _client.GetStringAsync($"/runs/{_runs.SeasonalNaiveHoldout}");

        html.Should().NotContain("auto-options").And.NotContain("auto choice");
    }
}
