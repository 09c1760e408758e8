using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Etl;

public sealed class ContractCatalogTests
{
    private static ContractCatalog Shipped => ContractCatalog.LoadFolder(Path.Combine(AppContext.BaseDirectory, "etl", "contracts"));

    [Fact]
    public void Every_extract_of_the_delivery_catalogue_has_a_valid_contract()
    {
        var catalogue = File.ReadAllText(Path.Combine(WarehouseOptions.FindRepositoryRoot()!, "docs", "extracts.md"));
        var extracts = Regex.Matches(catalogue, @"^\| `(?<name>[a-z_]+)` \|", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToList();

        Assert.Equal(21, extracts.Count);
        Assert.All(extracts, e => Assert.NotNull(Shipped.Find(e)));
    }

    [Theory]
    [InlineData("subscription_20261031.csv", "subscription", "2026-10-31", 0)]
    [InlineData("subscription_20261031_3.csv", "subscription", "2026-10-31", 3)]
    [InlineData("usage_day_20261005.csv", "usage_day", "2026-10-05", 0)]
    [InlineData("telco_churn_20260101.csv", "telco_churn", "2026-01-01", 0)]
    public void File_names_carry_the_extract_the_business_date_and_the_delivery(string file, string extract, string date, int seq)
    {
        var match = Shipped.Match(file);

        Assert.NotNull(match);
        Assert.Equal((extract, (DateOnly?)DateOnly.Parse(date), seq), (match.Contract!.Extract, match.BusinessDate, match.Sequence));
    }

    [Theory]
    [InlineData("subscription_2026103.csv")]
    [InlineData("notes.csv")]
    public void Names_no_contract_knows_do_not_match(string file) => Assert.Null(Shipped.Match(file));

    [Fact]
    public void A_name_of_a_pattern_whose_date_is_no_date_is_that_contract_s_with_the_reason()
    {
        var match = Shipped.Match("subscription_20261399.csv");

        Assert.NotNull(match);
        Assert.Equal(("subscription", (DateOnly?)null), (match.Contract!.Extract, match.BusinessDate));
        Assert.Equal("the file name's date '20261399' is not a date in the contract's date_format yyyyMMdd", match.NameProblem);
    }

    [Theory]
    [InlineData("extract: x\nfile_pattern: '^x\\.csv$'\ncolumns:\n  - { name: a }", "must capture the business date")]
    [InlineData("extract: x\nfile_pattern: '^x_(?<date>\\d{8})\\.csv$'\ncolumns:\n  - { name: a, type: money }", "unknown type money")]
    [InlineData("extract: x\nfile_pattern: '^x_(?<date>\\d{8})\\.csv$'\nkeys: [b]\ncolumns:\n  - { name: a }", "key or reference column b")]
    [InlineData("extract: x\nfile_pattern: '^x_(?<date>\\d{8})\\.csv$'\nencoding: latin-9\ncolumns:\n  - { name: a }", "unknown encoding latin-9")]
    [InlineData("extract: X-1\nfile_pattern: '^x_(?<date>\\d{8})\\.csv$'\ncolumns:\n  - { name: a }", "lower snake case")]
    public void A_broken_contract_is_refused_with_a_clear_message(string yaml, string expected)
    {
        var ex = Assert.Throws<ContractException>(() => new ContractCatalog([ContractCatalog.Parse(yaml)]));
        Assert.Contains(expected, ex.Message);
    }
}
