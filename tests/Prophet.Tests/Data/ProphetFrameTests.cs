namespace Forecast.Prophet.Tests.Data;

public sealed class ProphetFrameTests
{
    [Fact]
    public void Reads_quoted_fields_booleans_and_missing_values()
    {
        var csv = "\"ds\",\"y\",\"on_season\",\"note, quoted\"\r\n\"2020-01-01\",1.5,TRUE,3\r\n2020-01-02 06:30:00,,FALSE,NA\r\n";

        var frame = ProphetFrame.ReadCsv(new StringReader(csv), "inline");

        frame.Ds.Should().Equal(new DateTime(2020, 1, 1), new DateTime(2020, 1, 2, 6, 30, 0));
        frame.Y![0].Should().Be(1.5);
        double.IsNaN(frame.Y[1]).Should().BeTrue();
        frame.GetBoolean("on_season").Should().Equal(true, false);
        frame.GetNumeric("note, quoted")[0].Should().Be(3);
    }

    [Fact]
    public void A_bad_date_names_line_and_field()
    {
        var act = () => ProphetFrame.ReadCsv(new StringReader("ds,y\n2020-13-01,1\n"), "sales.csv");

        act.Should().Throw<FormatException>().WithMessage("sales.csv, line 2, field 'ds': '2020-13-01' is not a date*");
    }

    [Fact]
    public void A_short_row_names_its_line()
    {
        var act = () => ProphetFrame.ReadCsv(new StringReader("ds,y\n2020-01-01\n"), "sales.csv");

        act.Should().Throw<FormatException>().WithMessage("sales.csv, line 2: 1 fields but the header has 2*");
    }

    [Fact]
    public void Percentile_matches_a_sorted_linear_interpolation()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 50; trial++)
        {
            var values = Enumerable.Range(0, 1 + random.Next(300)).Select(_ => random.NextDouble() * 10 - 5).ToArray();
            var q = random.NextDouble();
            var sorted = values.Order().ToArray();
            var h = (sorted.Length - 1) * q;
            var lo = (int)Math.Floor(h);
            var expected = lo + 1 < sorted.Length ? sorted[lo] + ((h - lo) * (sorted[lo + 1] - sorted[lo])) : sorted[lo];

            Percentile.Linear(values.ToArray(), q).Should().BeApproximately(expected, 1e-12);
        }
    }
}
