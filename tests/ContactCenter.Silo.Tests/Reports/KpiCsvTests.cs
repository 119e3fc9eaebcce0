using System.Globalization;
using ContactCenter.Reports;

namespace ContactCenter.Tests.Reports;

/// <summary>The CSV writer alone: quoting and numbers whatever the culture of the thread that writes them.</summary>
public sealed class KpiCsvTests
{
    [Theory]
    [InlineData("nanjing", "nanjing")]
    [InlineData("north, south", "\"north, south\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("line\nfeed", "\"line\nfeed\"")]
    [InlineData(" spaced ", " spaced ")]
    [InlineData(null, "")]
    public void AFieldIsQuotedOnlyWhenItMustBe(string? value, string field) => Assert.Equal(field, KpiCsv.Field(value));

    [Fact]
    public void NumbersAndTimesAreWrittenInTheInvariantCulture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");   // decimal comma, and '.' between thousands
        try
        {
            var row = new KpiReportRow("q", new DateTimeOffset(2031, 3, 2, 10, 0, 0, TimeSpan.FromHours(8)), 12345, 2, 1, 1, 0,
                0.3333, 17.5, 1234.5, 100, 0, 0.25, null, 600, 1000.25, 0);

            Assert.Equal("q,2031-03-02T10:00:00+08:00,12345,2,1,1,0,0.3333,17.5,1234.5,100,0,0.25,,600,1000.25,0\r\n", KpiCsv.Row(row));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
