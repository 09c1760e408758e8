using Dapper;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Contracts.Expressions;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// Contract expressions are parsed against an allow-list and compiled from their tree: what is allowed computes the
/// right value in DuckDB; statements, sub-queries, references outside the file, comments and unknown functions are
/// refused when the contract is read, with the file and line.
/// </summary>
public sealed class ContractExpressionTests
{
    [Theory]
    [InlineData("upper(replace(\"City Name\", ' ', '_'))", "LOS_ANGELES")]
    [InlineData("case when \"Status\" = 'Churned' then 'churned' when \"Status\" in ('Stayed', 'Joined') then 'active' end", "churned")]
    [InlineData("coalesce(nullif(\"Empty\", ''), 'none')", "none")]
    [InlineData("try_cast(\"Tenure\" as integer) * 2 + 1", "25")]
    [InlineData("\"Tenure\"::integer between 10 and 20", "true")]
    [InlineData("strftime(business_date() - to_months(try_cast(\"Tenure\" as integer)), '%Y-%m-%d')", "2025-01-31")]
    [InlineData("'it''s ' || lower(\"Status\")", "it's churned")]
    [InlineData("\"Status\" not like 'St%' and not (\"Tenure\" is null)", "true")]
    public void Allowed_expressions_compute_the_expected_value(string text, string expected)
    {
        var expr = ExpressionParser.Parse(text);
        Assert.Empty(ExpressionCompiler.CheckFunctions(expr));
        var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["City Name"] = "Los Angeles", ["Status"] = "Churned", ["Empty"] = "", ["Tenure"] = "12",
        };
        var sql = ExpressionCompiler.ToSql(expr, name => row.TryGetValue(name, out var v) ? $"'{v}'" : throw new KeyNotFoundException(name), "DATE '2026-01-31'");

        using var w = new TestWarehouse(SubscriberContract.Catalog());
        using var c = w.Db.Connect();
        var value = c.ExecuteScalar<object>($"select ({sql})::varchar");

        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1; drop table stg.subscription", "';' is not allowed")]
    [InlineData("(select max(x) from stg.subscription)", "'select' is not allowed")]
    [InlineData("stg.subscription", "qualified names")]
    [InlineData("cast(\"A\" as varchar).upper()", "unexpected '.'")]
    [InlineData("\"A\" -- comment", "comments are not allowed")]
    [InlineData("\"A\" /* comment */", "comments are not allowed")]
    [InlineData("read_csv('/etc/passwd')", "function read_csv is not allowed")]
    [InlineData("now()", "function now is not allowed")]
    [InlineData("count(*)", "'*' is not allowed")]
    [InlineData("lower(\"A\", \"B\")", "lower takes 1 argument(s), not 2")]
    [InlineData("\"A\" = $1", "the character '$' is not allowed")]
    [InlineData("'open", "not closed")]
    [InlineData("cast(\"A\" as money)", "unknown type money")]
    [InlineData("exists (select 1)", "'exists' is not allowed")]
    [InlineData("\"A\" = ", "unexpected the end of the expression")]
    public void Forbidden_or_broken_expressions_are_refused_with_a_reason(string text, string reason)
    {
        var message = "";
        try
        {
            var expr = ExpressionParser.Parse(text);
            message = string.Join("; ", ExpressionCompiler.CheckFunctions(expr));
        }
        catch (ExpressionException ex)
        {
            message = ex.Message;
        }
        Assert.Contains(reason, message);
    }

    [Fact]
    public void A_quoted_name_is_a_column_reference_never_sql_text()
    {
        var expr = ExpressionParser.Parse("\"x\"\" || (select 1) || \"\"\"");
        var names = ExpressionCompiler.Identifiers(expr);

        var sql = ExpressionCompiler.ToSql(expr, _ => "c0", "DATE '2026-01-31'");

        Assert.Equal(["x\" || (select 1) || \""], names);
        Assert.Equal("c0", sql);
    }

    [Fact]
    public void Contract_errors_name_the_file_and_the_line()
    {
        var folder = Directory.CreateTempSubdirectory("ra-contract-").FullName;
        try
        {
            var file = Path.Combine(folder, "broken.yaml");
            File.WriteAllText(file, """
                extract: broken
                file_pattern: '^broken_(?<date>\d{8})\.csv$'
                columns:
                  - { name: id, source: ID, required: true }
                  - name: bad_expr
                    expr: upper("A" ; 1)
                  - name: bad_function
                    expr: shell('rm -rf /')
                  - { name: derived_of_derived, expr: bad_expr || 'x' }
                  - { name: rule, source: RULE, required_if: nowhere }
                  - { name: amount, source: AMOUNT, type: integer, default: lots }
                  - { name: flag, source: FLAG, map: { 'N/A': null } }
                """);
            var syntax = Path.Combine(folder, "syntax.yaml");
            File.WriteAllText(syntax, "extract: syntax\nfile_pattern: '^syntax_(?<date>\\d{8})\\.csv$'\ncolumns:\n  - { name: id, sorce: ID }\n");

            var catalog = ContractCatalog.Load([file, syntax]);
            var problems = catalog.Problems.Select(p => $"{Path.GetFileName(p.File)}:{p.Line}: {p.Message}").ToList();

            Assert.Contains(problems, p => p.StartsWith("broken.yaml:6: column bad_expr: ';' is not allowed", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.StartsWith("broken.yaml:8: column bad_function: function shell is not allowed", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.StartsWith("broken.yaml:9: column derived_of_derived: reads the expression column bad_expr", StringComparison.Ordinal));
            Assert.Contains("broken.yaml:10: column rule: required_if names nowhere, which is not another column of this contract", problems);
            Assert.Contains("broken.yaml:11: column amount: default 'lots' is not a valid integer", problems);
            Assert.Contains(problems, p => p.StartsWith("syntax.yaml:4: invalid YAML", StringComparison.Ordinal) && p.Contains("sorce"));
            Assert.DoesNotContain(problems, p => p.Contains("flag"));
            Assert.Empty(catalog.All);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Empty_keys_and_null_entries_are_problems_not_crashes()
    {
        var folder = Directory.CreateTempSubdirectory("ra-contract-").FullName;
        try
        {
            var file = Path.Combine(folder, "sloppy.yaml");
            File.WriteAllText(file, """
                extract: sloppy
                file_pattern: '^sloppy_(?<date>\d{8})\.csv$'
                date_format:
                keys:
                references:
                checks:
                  - { message: no expression }
                columns:
                  - { name: id, source: ID, aliases: [~], allowed: [a, ~] }
                  -
                """);

            var problems = ContractCatalog.Load([file]).Problems.Select(p => $"{p.Line}: {p.Message}").ToList();

            Assert.Contains("3: date_format is required to read the file name's (?<date>...), e.g. yyyyMMdd", problems);
            Assert.Contains("7: a check needs an expr", problems);
            Assert.Contains("9: column id: allowed holds an empty entry (write '' for the empty string)", problems);
            Assert.Contains("9: column id: aliases holds an empty entry (write '' for the empty string)", problems);
            Assert.Contains(problems, p => p.StartsWith("10: an empty column entry", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_broken_contract_refuses_its_own_files_with_the_reason_and_the_others_load()
    {
        var folder = Directory.CreateTempSubdirectory("ra-contract-").FullName;
        try
        {
            var contracts = SubscriberContract.WriteFolder(folder);
            File.WriteAllText(Path.Combine(contracts, "partner.yaml"), """
                extract: partner
                file_pattern: '^partner_(?<date>\d{8})\.csv$'
                columns:
                  - { name: id, source: ID, required: true }
                  - { name: score, expr: 'nosuch("ID")' }
                """);
            File.WriteAllText(Path.Combine(contracts, "mangled.yaml"), "extract: [unclosed\n");
            var catalog = ContractCatalog.LoadFolder(contracts);
            using var w = new TestWarehouse(catalog);
            var inbox = w.Inbox();
            File.WriteAllText(Path.Combine(inbox, "partner_20261031.csv"), "ID\n1\n");
            File.WriteAllText(Path.Combine(inbox, "mangled_20261031.csv"), "ID\n1\n");
            File.WriteAllText(Path.Combine(inbox, "tsub_20261031.csv"), $"{SubscriberContract.Header}\nS1,Li,A,2024-01-05,3,58.00,1\n");

            var results = w.Loader.LoadDirectory(inbox);

            var partner = results.Single(r => r.FileName == "partner_20261031.csv");
            Assert.Equal(("rejected", "partner"), (partner.Status, partner.Extract));
            Assert.Contains("the contract for this file is invalid:", partner.Message);
            Assert.Contains("partner.yaml:5: column score: function nosuch is not allowed", partner.Message);
            var mangled = results.Single(r => r.FileName == "mangled_20261031.csv");
            Assert.Equal("rejected", mangled.Status);
            Assert.Contains("mangled.yaml:1: invalid YAML", mangled.Message);
            Assert.Equal("loaded", results.Single(r => r.FileName == "tsub_20261031.csv").Status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
