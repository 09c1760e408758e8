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

    [Fact]
    public void A_name_of_the_pattern_whose_date_does_not_read_is_rejected_with_that_reason_not_unrecognised()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Partner)]));
        var file = Path.Combine(w.Inbox(), "partner_20261399.csv");
        File.WriteAllText(file, "ID;NOTE\n1;a\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal("rejected", result.Status);
        Assert.Equal("partner", result.Extract);
        Assert.Contains("'20261399' is not a date in the contract's date_format yyyyMMdd", result.Message);
        Assert.Equal("rejected", w.Scalar<string>("select status from meta.load_audit where file_name = 'partner_20261399.csv'"));
    }

    [Theory]
    [InlineData("'%Y%m%d'")]
    [InlineData("YYYYMMDD")]
    public void A_date_format_that_reads_no_date_is_a_problem_of_the_contract(string dateFormat)
    {
        var problems = Problems(Partner.Replace("date_format: yyyyMMdd", "date_format: " + dateFormat, StringComparison.Ordinal));

        Assert.Contains(problems, p => p.StartsWith("3: date_format ", StringComparison.Ordinal) && p.Contains("does not read a date", StringComparison.Ordinal));
    }

    [Fact]
    public void Date_formats_of_the_shipped_kind_are_no_problem()
    {
        Assert.Equal([], Problems(Partner));
        Assert.Equal([], Problems(Partner.Replace("\\d{8}", "\\d{6}", StringComparison.Ordinal).Replace("yyyyMMdd", "yyyyMM", StringComparison.Ordinal)));
        Assert.Equal([], Problems(Partner + "\n  - { name: d, source: D, type: date, format: '%d.%m.%Y' }\n"
                                      + "  - { name: t, source: T, type: timestamp, format: '%Y/%m/%d %-H:%M:%S' }\n"));
    }

    [Theory]
    [InlineData("'%Q-%m'", "%Q is no specifier")]
    [InlineData("'dd.MM.yyyy'", "has no strptime specifier")]
    [InlineData("'%Y-%m-%'", "% is no specifier")]
    public void A_column_format_strptime_cannot_read_is_a_problem_of_the_contract_not_a_failed_load(string format, string why)
    {
        var problems = Problems(Partner + $"\n  - {{ name: d, source: D, type: date, format: {format} }}\n");

        Assert.True(problems.Any(p => p.StartsWith("10: column d: format ", StringComparison.Ordinal) && p.Contains(why, StringComparison.Ordinal)),
            string.Join("\n", problems));
    }

    [Fact]
    public void An_unclosed_bracket_says_what_the_yaml_reader_found_and_where()
    {
        var problems = Problems("""
            extract: partner
            file_pattern: '^partner_(?<date>\d{8})\.csv$'
            keys: [id
            columns:
              - { name: id, source: ID, required: true
            """);

        var problem = Assert.Single(problems, p => p.Contains("YAML", StringComparison.Ordinal));
        Assert.True(problem.StartsWith("3: invalid YAML: ", StringComparison.Ordinal), problem);
        Assert.Contains("never closed", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_after_a_record_spanning_lines_names_the_line_of_the_first_row_an_editor_shows()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Partner)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        // line 2-3: one record; line 4: S2; line 5: S2 again
        File.WriteAllText(file, "ID;NOTE\nS1;\"two\nlines\"\nS2;first\nS2;again\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal((3L, 2L, 1L), (result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(["5|duplicate key id=S2 (first at line 4)"],
            w.Query<string>("select line_number || '|' || reason from meta.rejected_row"));
    }

    [Fact]
    public void A_contract_saved_as_yml_is_a_problem_and_its_deliveries_are_refused_naming_it()
    {
        var folder = Directory.CreateTempSubdirectory("ra-contract-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "partner.yml"), Partner);
            File.WriteAllText(Path.Combine(folder, "README.md"), "notes\n");

            var catalog = ContractCatalog.LoadFolder(folder);

            var problem = Assert.Single(catalog.Problems);
            Assert.Equal(("partner.yml", 1), (Path.GetFileName(problem.File), problem.Line));
            Assert.Contains("rename it to partner.yaml", problem.Message, StringComparison.Ordinal);
            using var w = new TestWarehouse(catalog);
            var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
            File.WriteAllText(file, "ID;NOTE\n1;a\n");
            var result = w.Loader.LoadFile(file);
            Assert.Equal("rejected", result.Status);
            Assert.Contains("partner.yml", result.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Fields_without_a_header_from_trailing_delimiters_are_named_by_their_place_in_the_message()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Partner)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        File.WriteAllText(file, "ID;NOTE;;EXTRA;\n1;a;;x;\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("loaded", 1L), (result.Status, result.RowsLoaded));
        Assert.Equal("ignored column(s) (unnamed field 3), EXTRA, (unnamed field 5)", result.Message);
    }

    [Fact]
    public void A_file_whose_lines_end_in_cr_alone_is_refused_as_a_whole_with_the_reason()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Partner)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        File.WriteAllText(file, "ID;NOTE\r1;a\r2;b\r");

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("rejected", 0L, 0L), (result.Status, result.RowsRead, result.RowsLoaded));
        Assert.Contains("carriage return alone", result.Message, StringComparison.Ordinal);
    }
}
