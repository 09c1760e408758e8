using System.Diagnostics;
using RetentionAnalytics.Core.Definitions;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// Definitions live outside the build: a definitions folder in the repository's layout is read before the shipped
/// definitions by the CLI (and the inbox and portal, by configuration), and <c>ra check</c> reports every problem as
/// <c>file:line: message</c>.
/// </summary>
public sealed class DefinitionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ra-defs-").FullName;

    private string Definitions => Path.Combine(_folder, "defs");

    private string Write(string relative, string text)
    {
        var path = Path.Combine(Definitions, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_shipped_definitions_check_clean()
    {
        var (exit, output) = RaCli.Run("check", "--definitions", Path.Combine(_folder, "nothing-here"));

        Assert.True(exit == 0, output);
        Assert.Contains("0 problem(s)", output);
        Assert.Matches(@"2[0-9] contracts, 1[0-9] reports, [0-9]+ cubes, [0-9]+ scenarios valid", output);
    }

    [Fact]
    public void Check_prints_file_line_message_for_every_broken_definition_and_exits_4()
    {
        Write("etl/contracts/partner.yaml", """
            extract: partner
            file_pattern: '^partner_(?<date>\d{8})\.csv$'
            columns:
              - { name: id, source: ID, required: true }
              - name: score
                type: integer
                expr: 'select 1'
            """);
        var shipped = Path.Combine(AppContext.BaseDirectory, "reports", "fixed");
        var report = File.ReadAllText(Directory.GetFiles(shipped, "*.yaml").Order(StringComparer.Ordinal).First());
        var reportName = Path.GetFileName(Directory.GetFiles(shipped, "*.yaml").Order(StringComparer.Ordinal).First());
        Write($"reports/fixed/{reportName}", report.Replace("roles: [", "roles: [janitor, ", StringComparison.Ordinal));
        Write("reports/cubes/broken_cube.yaml", "id: broken_cube\ntitle: { en: x }\n");
        Write("sql/scenarios/s99_broken.yaml", "id: s99_broken\nkind: scenario\n  bad: [indent\n");
        // an operator's own scenario with its target segment in one language, as it was written before
        var scenarios = Path.Combine(AppContext.BaseDirectory, "sql", "scenarios");
        var vas = File.ReadAllText(Path.Combine(scenarios, "a3_vas_analysis.yaml"));
        var segment = System.Text.RegularExpressions.Regex.Match(vas, "target_segment:\n(  .*\n){3}").Value;
        Assert.NotEmpty(segment);
        Write("sql/scenarios/a9_own.yaml", vas.Replace("id: a3_vas_analysis", "id: a9_own", StringComparison.Ordinal)
            .Replace(segment, "target_segment: subscribers with value-added services\n", StringComparison.Ordinal));
        Write("sql/scenarios/a9_own.sql", File.ReadAllText(Path.Combine(scenarios, "a3_vas_analysis.sql")));

        var (exit, output) = RaCli.Run("check", "--definitions", Definitions);

        Assert.True(exit == 4, output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(lines, l => l.StartsWith($"{Path.Combine(Definitions, "etl", "contracts", "partner.yaml")}:7: column score: 'select' is not allowed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Path.Combine(Definitions, "reports", "fixed", reportName)}:", StringComparison.Ordinal) && l.Contains("role 'janitor' is not a portal role"));
        var reportLine = lines.Single(l => l.Contains("janitor"));
        var lineNumber = int.Parse(reportLine.Split(':')[1]);
        Assert.Contains("janitor", File.ReadAllLines(Path.Combine(Definitions, "reports", "fixed", reportName))[lineNumber - 1]);
        Assert.Contains(lines, l => l.StartsWith($"{Path.Combine(Definitions, "reports", "cubes", "broken_cube.yaml")}:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Path.Combine(Definitions, "sql", "scenarios", "s99_broken.yaml")}:3:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Path.Combine(Definitions, "sql", "scenarios", "a9_own.yaml")}:", StringComparison.Ordinal)
                                    && l.Contains("target_segment needs en, de and zh", StringComparison.Ordinal));
        Assert.Contains("5 problem(s)", output);
    }

    [Fact]
    public void Check_of_a_contract_folder_on_its_own_warns_about_the_extracts_reports_need_and_exits_0_unless_a_contract_is_broken()
    {
        var partner = Write("own/partner.yaml", """
            extract: partner
            file_pattern: '^partner_(?<date>\d{8})\.csv$'
            delimiter: ';'
            keys: [id]
            columns:
              - { name: id, source: ID, required: true }
            """);

        var (exit, output) = RaCli.Run("check", "--contracts", Path.GetDirectoryName(partner)!);

        Assert.True(exit == 0, output);
        Assert.Contains("1 contracts", output);
        Assert.Contains("0 problem(s)", output);
        var warnings = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": warning: requires: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(warnings, l => l.Contains("scenarios", StringComparison.Ordinal) && l.Contains("'agreement' is neither the extract of a contract (partner)", StringComparison.Ordinal));
        Assert.Contains($"{warnings.Count} warning(s)", output);

        Write("own/broken.yaml", "extract: broken\nfile_pattern: '^broken_(?<date>\\d{8})\\.csv$'\ncolumns:\n  - { name: id, sorce: ID }\n");
        var (brokenExit, brokenOutput) = RaCli.Run("check", "--contracts", Path.GetDirectoryName(partner)!);

        Assert.True(brokenExit == 4, brokenOutput);
        Assert.Contains(Path.Combine(Definitions, "own", "broken.yaml") + ":4: ", brokenOutput);
        Assert.Contains("1 problem(s)", brokenOutput);
    }

    [Fact]
    public void A_contract_in_the_definitions_folder_is_used_by_ra_load_without_a_rebuild()
    {
        Write("etl/contracts/partner.yaml", """
            extract: partner
            file_pattern: '^partner_(?<date>\d{8})\.csv$'
            delimiter: ';'
            null_tokens: ['N/A']
            keys: [id]
            columns:
              - { name: id, source: Kundennr, required: true }
              - { name: revenue, source: Umsatz, type: 'decimal(10,2)', decimal_separator: ',' }
            """);
        var inbox = Path.Combine(_folder, "in");
        Directory.CreateDirectory(inbox);
        File.WriteAllText(Path.Combine(inbox, "partner_20261031.csv"), "Kundennr;Umsatz\nK-1;49,90\nK-2;N/A\n");
        var db = Path.Combine(_folder, "w.duckdb");

        var withoutFolder = RaCli.Run("load", inbox, "--db", db, "--no-transform");
        var withFolder = RaCli.RunOk("load", inbox, "--db", db, "--no-transform", "--definitions", Definitions);
        var fromEnvironment = RunWithEnvironment(("RA_DEFINITIONS", Definitions), "load", inbox, "--db", db, "--no-transform");

        Assert.True(withoutFolder.ExitCode == 4, withoutFolder.Output);
        Assert.Contains("unrecognised", withoutFolder.Output);
        Assert.Contains("loaded", withFolder);
        Assert.Contains("2 rows loaded", withFolder);
        Assert.Contains("duplicate", fromEnvironment);
        using var w = Db.Open(new WarehouseOptions { DatabasePath = db });
        using var c = w.Connect();
        Assert.Equal(49.90m, Dapper.SqlMapper.ExecuteScalar<decimal>(c, "select sum(revenue) from stg.partner"));
    }

    [Fact]
    public void Definition_folders_layer_an_operators_files_over_the_shipped_ones()
    {
        var shipped = Path.Combine(_folder, "shipped");
        Directory.CreateDirectory(Path.Combine(shipped, "etl", "contracts"));
        File.WriteAllText(Path.Combine(shipped, "etl", "contracts", "a.yaml"), "shipped a");
        File.WriteAllText(Path.Combine(shipped, "etl", "contracts", "b.yaml"), "shipped b");
        Write("etl/contracts/b.yaml", "operator b");
        Write("etl/contracts/c.yaml", "operator c");

        var files = new DefinitionFolders(Definitions, shipped).Files(DefinitionFolders.Contracts);
        var only = new DefinitionFolders(Definitions, shipped, contractsOverride: Path.Combine(shipped, "etl", "contracts")).Files(DefinitionFolders.Contracts);

        Assert.Equal(["shipped a", "operator b", "operator c"], files.Select(File.ReadAllText));
        Assert.Equal(["shipped a", "shipped b"], only.Select(File.ReadAllText));
    }

    [Fact]
    public void A_run_of_a_killed_cli_process_is_marked_interrupted_when_the_warehouse_is_next_opened()
    {
        var contracts = SubscriberContract.WriteFolder(_folder);
        var big = Path.Combine(_folder, "tsub_20261130.csv");
        using (var writer = new StreamWriter(big))
        {
            writer.WriteLine(SubscriberContract.Header);
            for (var i = 0; i < 2_000_000; i++)
            {
                writer.Write('S');
                writer.Write(i);
                writer.WriteLine(",Name,A,2024-01-05,3,58.00,1");
            }
        }
        var db = Path.Combine(_folder, "w.duckdb");
        // a warehouse with its schema in place and no write-ahead log: the load's first write is its run row
        RaCli.RunOk("status", "--db", db);
        Assert.False(File.Exists(db + ".wal"));
        using (var p = RaCli.Start("load", big, "--db", db, "--contracts", contracts, "--no-transform"))
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited && !File.Exists(db + ".wal"))
            {
                Thread.Sleep(50);
            }
            Assert.False(p.HasExited, "the load finished before it could be killed");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        var status = RaCli.RunOk("status", "--db", db);

        using var w = Db.Open(new WarehouseOptions { DatabasePath = db });
        using var c = w.Connect();
        var run = Dapper.SqlMapper.QuerySingle<(string Status, string Message)>(c, "select status, message from meta.job_run where job_name = 'cli-load'");
        Assert.Equal("interrupted", run.Status);
        Assert.Contains("ended before the run finished", run.Message);
        Assert.Contains("pid", run.Message);
        Assert.NotNull(status);
    }

    private static string RunWithEnvironment((string Name, string Value) variable, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RaCli.Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["NO_COLOR"] = "1";
        info.Environment[variable.Name] = variable.Value;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return output.Result + error.Result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a killed child may still be releasing a file
        }
    }
}
