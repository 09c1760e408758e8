using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// An operator's own extracts, seen for the first time: file names, date formats and YAML the shipped contracts never
/// use. Whatever goes wrong is said where the data engineer looks (ra check, the load's audit row), and no delivery is
/// left behind without one.
/// </summary>
public sealed class ContractOnboardingTests
{
    private const string Partner = """
        extract: partner
        file_pattern: '^partner_(?<date>\d{8})\.(csv|txt)$'
        date_format: yyyyMMdd
        encoding: utf-8
        delimiter: ';'
        keys: [id]
        columns:
          - { name: id, source: ID, required: true }
          - { name: note, source: NOTE }
        """;

    private static List<string> Problems(string yaml)
    {
        var folder = Directory.CreateTempSubdirectory("ra-contract-").FullName;
        try
        {
            var file = Path.Combine(folder, "partner.yaml");
            File.WriteAllText(file, yaml);
            return ContractCatalog.Load([file]).Problems.Select(p => $"{p.Line}: {p.Message}").ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_folder_load_takes_upper_case_csv_files_and_other_names_a_contract_claims()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Partner)]));
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "partner_20261031.CSV"), "ID;NOTE\n1;a\n2;b\n");
        File.WriteAllText(Path.Combine(inbox, "partner_20260930.txt"), "ID;NOTE\n3;c\n");
        File.WriteAllText(Path.Combine(inbox, "README.md"), "not a delivery\n");

        var results = w.Loader.LoadDirectory(inbox);

        Assert.Equal(["partner_20260930.txt|loaded|1", "partner_20261031.CSV|loaded|2"],
            results.Select(r => $"{r.FileName}|{r.Status}|{r.RowsLoaded}").Order(StringComparer.Ordinal).ToList());
        Assert.Equal(3, w.Scalar<long>("select count(*) from stg.partner"));
    }
}
