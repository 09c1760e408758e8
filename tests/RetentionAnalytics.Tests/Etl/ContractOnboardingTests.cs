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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_optional_column_the_file_does_not_deliver_is_loaded_empty_and_named_in_the_message(bool typedReads)
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(PartnerWithAmount)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        File.WriteAllText(file, "ID;EXTRA\n1;x\n2;y\n");

        var result = LoadWith(w, typedReads, file);

        Assert.Equal(("loaded", 2L), (result.Status, result.RowsLoaded));
        Assert.Equal("ignored column(s) EXTRA; optional column(s) NOTE, AMOUNT not delivered, left empty", result.Message);
        Assert.Equal(0, w.Scalar<long>("select count(note) + count(amount) from stg.partner"));
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

    /// <summary>The partner contract with a number column, which the typed read types itself.</summary>
    private const string PartnerWithAmount = Partner + "\n  - { name: amount, source: AMOUNT, type: integer }\n";

    private static FileLoadResult LoadWith(TestWarehouse w, bool typedReads, string file) =>
        new Loader(w.Db, w.Contracts, w.Quality) { TypedReads = typedReads }.LoadFile(file);

    [Theory]
    [InlineData("ID;NOTE;AMOUNT\n;a;1\n;b;2\n", "missing required id")]
    [InlineData("ID;NOTE;AMOUNT\n1;a;one\n2;b;two\n", "amount: 'one' is not a valid integer")]
    public void A_first_delivery_whose_every_row_is_rejected_is_rejected_with_its_reasons_not_loaded(string content, string reason)
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(PartnerWithAmount)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        File.WriteAllText(file, content);

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("rejected", 2L, 0L, 2L), (result.Status, result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.StartsWith("all 2 row(s) rejected, nothing loaded; first reasons: ", result.Message, StringComparison.Ordinal);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
        Assert.Equal("rejected|2|0|2", w.Scalar<string>("select status || '|' || rows_read || '|' || rows_loaded || '|' || rows_rejected from meta.load_audit"));
        Assert.Equal(2, w.Scalar<long>("select count(*) from meta.rejected_row"));
        Assert.Equal(0, w.Scalar<long>("select count(*) from stg.partner"));

        // the corrected file under the same name is no conflict with a delivery that loaded nothing
        File.WriteAllText(file, "ID;NOTE;AMOUNT\n1;a;1\n2;b;2\n");
        Assert.Equal(("loaded", 2L), (w.Loader.LoadFile(file).Status, w.Scalar<long>("select count(*) from stg.partner")));
    }

    [Fact]
    public void Ra_load_of_a_delivery_whose_every_row_is_rejected_lists_it_as_rejected_and_exits_4()
    {
        var folder = Directory.CreateTempSubdirectory("ra-onboarding-").FullName;
        try
        {
            var contracts = Directory.CreateDirectory(Path.Combine(folder, "contracts")).FullName;
            File.WriteAllText(Path.Combine(contracts, "partner.yaml"), PartnerWithAmount);
            var inbox = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
            File.WriteAllText(Path.Combine(inbox, "partner_20261031.csv"), "ID;NOTE;AMOUNT\n;a;1\n;b;2\n");

            var (exit, output) = RaCli.Run("load", inbox, "--db", Path.Combine(folder, "w.duckdb"), "--contracts", contracts, "--no-transform");

            Assert.True(exit == 4, output);
            Assert.Contains("rejected", output, StringComparison.Ordinal);
            Assert.Contains("0 loaded", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_rejected_row_keeps_the_text_as_delivered_with_its_quotes_and_delimiters(bool typedReads)
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(PartnerWithAmount)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        const string quoted = "\"A-1\";\"say \"\"hi\"\"; then go\";x";
        File.WriteAllText(file, $"ID;NOTE;AMOUNT\n1;ok;1\n{quoted}\n2;ok;2\n");

        var result = LoadWith(w, typedReads, file);

        Assert.Equal(("loaded", 2L, 1L, typedReads), (result.Status, result.RowsLoaded, result.RowsRejected, result.Typed));
        Assert.Equal([$"3|{quoted}"], w.Query<string>("select line_number || '|' || raw_line from meta.rejected_row"));
    }

    [Fact]
    public void A_rejected_record_that_spans_lines_keeps_its_lines_as_delivered()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(PartnerWithAmount)]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        const string record = "\"A-1\";\"two\r\n\"\"lines\"\"\";x";
        File.WriteAllText(file, $"ID;NOTE;AMOUNT\r\n1;ok;1\r\n{record}\r\n2;ok;2\r\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("loaded", 2L, 1L), (result.Status, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(["3|\"A-1\";\"two\n\"\"lines\"\"\";x"], w.Query<string>("select line_number || '|' || raw_line from meta.rejected_row"));
    }

    private const string Amounts = """
        extract: amounts
        file_pattern: '^amounts_(?<date>\d{8})\.csv$'
        delimiter: ';'
        keys: [id]
        columns:
          - { name: id, source: ID, required: true }
          - { name: de, source: DE, type: 'decimal(12,2)', decimal_separator: ',', thousands_separator: '.' }
          - { name: en, source: EN, type: 'decimal(12,2)', thousands_separator: ',' }
          - { name: n, source: N, type: bigint, thousands_separator: '.' }
        """;

    [Fact]
    public void A_thousands_separator_loads_grouped_numbers_and_rejects_groups_that_are_not_whole()
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Amounts)]));
        var file = Path.Combine(w.Inbox(), "amounts_20261031.csv");
        File.WriteAllText(file, "ID;DE;EN;N\n1;1.234,56;1,234.56;1.234.567\n2;1234,5;1234.5;-12\n3;-1.000.000,00;1,000,000;0\n4;1.23,4;1,23.4;12.34\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal(("loaded", 3L, 1L), (result.Status, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(["1|1234.56|1234.56|1234567", "2|1234.50|1234.50|-12", "3|-1000000.00|1000000.00|0"],
            w.Query<string>("select id || '|' || de || '|' || en || '|' || n from stg.amounts order by id"));
        var reason = w.Scalar<string>("select reason from meta.rejected_row");
        Assert.Contains("de: '1.23,4' is not a valid decimal(12,2)", reason, StringComparison.Ordinal);
        Assert.Contains("en: '1,23.4' is not a valid decimal(12,2)", reason, StringComparison.Ordinal);
        Assert.Contains("n: '12.34' is not a valid bigint", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ name: x, source: X, type: 'decimal(12,2)', decimal_separator: ',', thousands_separator: ',' }", "thousands_separator ',' is the decimal separator as well")]
    [InlineData("{ name: x, source: X, type: 'decimal(12,2)', thousands_separator: '.' }", "thousands_separator '.' is the decimal separator as well")]
    [InlineData("{ name: x, source: X, type: 'decimal(12,2)', thousands_separator: ';' }", "thousands_separator ';' is the file's delimiter")]
    [InlineData("{ name: x, source: X, type: 'decimal(12,2)', decimal_separator: ';' }", "decimal_separator ';' is the file's delimiter")]
    [InlineData("{ name: x, source: X, thousands_separator: '.' }", "thousands_separator applies to number columns")]
    [InlineData("{ name: x, source: X, type: integer, thousands_separator: '..' }", "thousands_separator must be one character")]
    [InlineData("{ name: x, type: integer, expr: '1', thousands_separator: '.' }", "thousands_separator reads source text")]
    public void A_thousands_separator_that_cannot_be_told_apart_is_a_problem_of_the_contract(string column, string problem)
    {
        var problems = Problems(Partner + $"\n  - {column}\n");

        Assert.True(problems.Any(p => p.StartsWith("10: column x: ", StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal)),
            string.Join("\n", problems));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_double_column_rejects_numbers_out_of_range_infinities_and_nan_each_with_its_reason(bool typedReads)
    {
        using var w = new TestWarehouse(new ContractCatalog([ContractCatalog.Parse(Partner + "\n  - { name: score, source: SCORE, type: double }\n")]));
        var file = Path.Combine(w.Inbox(), "partner_20261031.csv");
        File.WriteAllText(file, "ID;NOTE;SCORE\n1;a;1.5\n2;b;1e400\n3;c;NaN\n4;d;inf\n5;e;-Infinity\n6;f;-1e308\n");

        var result = LoadWith(w, typedReads, file);

        Assert.Equal(("loaded", 2L, 4L), (result.Status, result.RowsLoaded, result.RowsRejected));
        Assert.Equal([1.5, -1e308], w.Query<double>("select score from stg.partner order by id"));
        var reasons = w.Query<string>("select reason from meta.rejected_row order by line_number");
        Assert.Equal(4, reasons.Count);
        Assert.All(reasons, r => Assert.Matches("^score: '[^']*' is not (a finite number|a valid double)", r));
        Assert.All(reasons.Skip(1), r => Assert.Contains("is not a finite number (out of range, infinity or NaN)", r, StringComparison.Ordinal));
    }
}
