using Forecast.Core.Data;

namespace Forecast.Core.Tests.Data;

/// <summary>Every malformed input stops the load with a message naming the file, the line and the field, and what would fix it.</summary>
public class SeriesLoaderBadInputTests
{
    [Fact]
    public async Task A_ragged_row_names_its_line_and_the_expected_field_count()
    {
        var act = () => CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\na,2024-01-02\n", fileName: "sales.csv");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.File.Should().Be("sales.csv");
        e.Line.Should().Be(3);
        e.Message.Should().StartWith("sales.csv, line 3: ").And.Contain("2 fields but the header has 3");
    }

    [Fact]
    public async Task A_row_with_too_many_fields_is_ragged_too()
    {
        var act = () => CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1,9\n");

        (await act.Should().ThrowAsync<DataException>()).Which.Line.Should().Be(2);
    }

    [Theory]
    [InlineData("unique_id,ds,y\na,2024-01-01,1\na,2024-01-02,\"2\n", 3, "never closed")]
    [InlineData("unique_id,ds,y\na,2024-01-01,1\nab\"c,2024-01-02,2\n", 3, "quote inside an unquoted value")]
    [InlineData("unique_id,ds,y\n\"a\"x,2024-01-01,1\n", 2, "text after its closing quote")]
    public async Task Bad_quoting_names_the_line_and_how_to_quote(string csv, int line, string problem)
    {
        var act = () => CsvText.LoadAsync(csv);

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Line.Should().Be(line);
        e.Message.Should().Contain(problem);
    }

    [Fact]
    public async Task Missing_columns_are_listed_with_the_config_key_and_the_header()
    {
        var act = () => CsvText.LoadAsync("unique_id,date,value\na,2024-01-01,1\n");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Line.Should().Be(1);
        e.Message.Should().Contain("'ds' (data.time_column)").And.Contain("'y' (data.target_column)").And.Contain("the header has: unique_id, date, value");
    }

    [Fact]
    public async Task A_missing_covariate_column_is_named()
    {
        var act = () => CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\n", new DataOptions { Covariates = ["price"] });

        (await act.Should().ThrowAsync<DataException>()).Which.Message.Should().Contain("'price' (data.covariates)");
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30")]
    [InlineData("yesterday")]
    [InlineData("2024-01-01 25:00")]
    [InlineData("2024-01-01T10:00:00+25:00")]
    [InlineData("")]
    public async Task An_unparsable_timestamp_names_line_column_and_text(string text)
    {
        var act = () => CsvText.LoadAsync($"unique_id,ds,y\na,2024-01-01,1\na,{text},2\n");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Line.Should().Be(3);
        e.Field.Should().Be("ds");
        e.Message.Should().Contain($"'{text}' is not a timestamp").And.Contain("YYYY-MM-DD");
    }

    [Fact]
    public async Task An_unparsable_value_names_line_column_and_text()
    {
        // A decimal comma (quoted so the row is not ragged) is the usual culprit.
        var act = () => CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\na,2024-01-02,\"1,5\"\n");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Line.Should().Be(3);
        e.Field.Should().Be("y");
        e.Message.Should().Contain("'1,5' is not a number").And.Contain("'.' as decimal separator");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("1e308")]
    [InlineData("-1.5e101")]
    [InlineData("12.5.1")]
    public async Task Text_and_infinite_numbers_are_not_values(string text)
    {
        var act = () => CsvText.LoadAsync($"unique_id,ds,y\na,2024-01-01,{text}\n");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Line.Should().Be(2);
        e.Message.Should().Contain($"'{text}' is not a number");
    }

    [Fact]
    public async Task An_empty_file_says_what_it_needs()
    {
        var act = () => CsvText.LoadAsync("", fileName: "empty.csv");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.File.Should().Be("empty.csv");
        e.Message.Should().Contain("empty").And.Contain("unique_id,ds,y");
    }

    [Fact]
    public async Task A_header_without_rows_is_an_error()
    {
        var act = () => CsvText.LoadAsync("unique_id,ds,y\n");

        (await act.Should().ThrowAsync<DataException>()).Which.Message.Should().Contain("no data rows");
    }

    [Fact]
    public async Task An_empty_series_id_is_an_error()
    {
        var act = () => CsvText.LoadAsync("unique_id,ds,y\n ,2024-01-01,1\n");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Line.Should().Be(2);
        e.Field.Should().Be("unique_id");
    }

    [Fact]
    public async Task A_path_that_does_not_exist_is_named_with_the_config_key()
    {
        var path = Path.Combine(Path.GetTempPath(), "forecast-no-such-dir", "missing.csv");

        var act = () => SeriesLoader.LoadAsync(new DataOptions { Path = path });

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.File.Should().Be(path);
        e.Field.Should().Be("data.path");
        e.Message.Should().Contain("does not exist");
    }

    [Fact]
    public async Task An_unknown_extension_asks_for_data_format()
    {
        var act = () => CsvText.LoadAsync("unique_id,ds,y\n", fileName: "data.xlsx");

        (await act.Should().ThrowAsync<DataException>()).Which.Field.Should().Be("data.format");
    }

    [Fact]
    public async Task A_misnamed_id_column_is_caught_when_the_single_series_repeats_timestamps()
    {
        var act = () => CsvText.LoadAsync("store,ds,y\na,2024-01-01,1\nb,2024-01-01,2\n", fileName: "stores.csv");

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Field.Should().Be("data.id_column");
        e.Message.Should().Contain("no 'unique_id' column").And.Contain("2024-01-01 repeats").And.Contain("the columns are: store, ds, y");
    }
}
