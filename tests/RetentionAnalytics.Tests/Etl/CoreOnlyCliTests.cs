using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// Every verb of <c>ra</c> on a warehouse made by <c>ra init</c> alone and on one that holds IBM Telco alone: a result
/// or a clear message naming what is missing, never a stack trace.
/// </summary>
public sealed class CoreOnlyCliTests
{
    private static readonly string[][] Verbs =
    [
        ["status"], ["model", "train"], ["model", "score"], ["model", "show"], ["detect"], ["tasks", "generate"],
        ["callbacks", "generate"], ["report", "kpi_overview", "--as", "leader", "--out", "{out}/kpi.csv"],
        ["report", "balance_risk", "--as", "leader", "--out", "{out}/balance.csv"],
        ["report", "churn_by_plan", "--as", "leader", "--out", "{out}/plan.csv"], ["rebuild"],
    ];

    [Fact]
    public void On_an_empty_and_on_an_ibm_only_warehouse_every_verb_answers_without_a_stack_trace()
    {
        var folder = Directory.CreateTempSubdirectory("ra-core-cli-").FullName;
        try
        {
            var empty = Path.Combine(folder, "empty.duckdb");
            RaCli.RunOk("init", "--db", empty);
            var onEmpty = Verbs.ToDictionary(v => string.Join(' ', v.Take(2)), v => Run(v, empty, folder));
            Assert.Contains("needs subscription: not delivered", onEmpty["report kpi_overview"].Output);
            Assert.Equal(4, onEmpty["report kpi_overview"].ExitCode);
            Assert.Contains("needs subscription: not delivered", onEmpty["tasks generate"].Output);

            var ibm = Path.Combine(folder, "ibm.duckdb");
            RaCli.RunOk("init", "--db", ibm);
            var load = RaCli.Run("load", TelcoChurnLoadTests.SampleFile, "--db", ibm);
            Assert.Equal(0, load.ExitCode);
            Assert.Contains("Build limited: built on the core from telco_churn", Flat(load.Output));
            var onIbm = Verbs.ToDictionary(v => string.Join(' ', v.Take(2)), v => Run(v, ibm, folder));
            Assert.Equal(0, onIbm["model train"].ExitCode);
            // one labelled month: a random split, said as such rather than as an empty window
            Assert.Contains("one labelled month, random split", Flat(onIbm["model train"].Output));
            Assert.Contains("held-out subscribers of the same month", Flat(onIbm["model train"].Output));
            Assert.DoesNotContain(" .. :", onIbm["model train"].Output, StringComparison.Ordinal);
            Assert.Equal(0, onIbm["model score"].ExitCode);
            Assert.Equal(0, onIbm["report churn_by_plan"].ExitCode);
            Assert.Contains("\"Month-to-month\",\"IBM Telco sample\",3875,1655,42.71%", File.ReadAllText(Path.Combine(folder, "plan.csv")));
            Assert.Contains("needs balance: not delivered", onIbm["report balance_risk"].Output);
            Assert.Contains("skipped", onIbm["detect"].Output);

            foreach (var (verb, result) in onEmpty.Select(kv => ("empty: " + kv.Key, kv.Value)).Concat(onIbm.Select(kv => ("ibm: " + kv.Key, kv.Value))))
            {
                Assert.True(!result.Output.Contains("   at ", StringComparison.Ordinal) && !result.Output.Contains("Exception", StringComparison.Ordinal),
                    $"{verb} (exit {result.ExitCode}):\n{result.Output}");
                Assert.True(result.ExitCode is 0 or 1 or 2 or 4, $"{verb}: exit {result.ExitCode}\n{result.Output}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_contract_folder_holding_only_a_core_source_loads_and_builds_with_ra_load_contracts()
    {
        var folder = Directory.CreateTempSubdirectory("ra-core-contracts-").FullName;
        try
        {
            // the operator's folder has its own core source and none of the province's extracts the transforms read
            var contracts = Directory.CreateDirectory(Path.Combine(folder, "contracts")).FullName;
            File.Copy(Path.Combine(WarehouseOptions.FindRepositoryRoot()!, "etl", "contracts", "telco_churn.yaml"), Path.Combine(contracts, "telco_churn.yaml"));
            var db = Path.Combine(folder, "w.duckdb");
            RaCli.RunOk("init", "--db", db);

            var load = RaCli.Run("load", TelcoChurnLoadTests.SampleFile, "--db", db, "--contracts", contracts);

            Assert.True(load.ExitCode == 0, load.Output);
            Assert.DoesNotContain("failed", load.Output, StringComparison.Ordinal);
            // the shipped definitions have this contract: nothing to say about later builds
            Assert.DoesNotContain("not among the definitions", Flat(load.Output), StringComparison.Ordinal);
            var plan = Path.Combine(folder, "plan.csv");
            RaCli.RunOk("report", "churn_by_plan", "--as", "leader", "--out", plan, "--db", db);
            Assert.Contains("\"Month-to-month\",\"IBM Telco sample\",3875,1655,42.71%", File.ReadAllText(plan));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Loading_with_a_contract_the_definitions_do_not_have_says_that_other_builds_leave_its_data_out_and_where_it_belongs()
    {
        var folder = Directory.CreateTempSubdirectory("ra-trial-contracts-").FullName;
        try
        {
            var contracts = Directory.CreateDirectory(Path.Combine(folder, "contracts")).FullName;
            var shipped = File.ReadAllText(Path.Combine(WarehouseOptions.FindRepositoryRoot()!, "etl", "contracts", "telco_churn.yaml"));
            File.WriteAllText(Path.Combine(contracts, "operator_churn.yaml"), shipped
                .Replace("extract: telco_churn", "extract: operator_churn", StringComparison.Ordinal)
                .Replace("'^telco_churn_(?<date>", "'^operator_churn_(?<date>", StringComparison.Ordinal));
            var file = Path.Combine(folder, "operator_churn_20260930.csv");
            File.Copy(TelcoChurnLoadTests.SampleFile, file);
            var db = Path.Combine(folder, "w.duckdb");
            RaCli.RunOk("init", "--db", db);

            var load = RaCli.Run("load", file, "--db", db, "--contracts", contracts, "--no-transform");

            Assert.True(load.ExitCode == 0, load.Output);
            var said = Flat(load.Output);
            Assert.Contains($"Contract(s) operator_churn of {contracts} are not among the definitions", said, StringComparison.Ordinal);
            // in a checkout its definitions are the definitions folder
            Assert.Contains($"copy the contract(s) to {Path.Combine(WarehouseOptions.FindRepositoryRoot()!, "etl", "contracts")} (the definitions folder)", said, StringComparison.Ordinal);

            var definitions = Directory.CreateDirectory(Path.Combine(folder, "definitions")).FullName;
            File.WriteAllText(file.Replace("20260930", "20261031", StringComparison.Ordinal), File.ReadAllText(file));
            var withFolder = Flat(RaCli.Run("load", file.Replace("20260930", "20261031", StringComparison.Ordinal), "--db", db, "--contracts", contracts,
                "--no-transform", "--definitions", definitions).Output);
            Assert.Contains($"copy the contract(s) to {Path.Combine(definitions, "etl", "contracts")} (the definitions folder)", withFolder, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string[] verb, string db, string folder) =>
        RaCli.Run([.. verb.Select(a => a.Replace("{out}", folder, StringComparison.Ordinal)), "--db", db]);

    // the console wraps long lines at its width
    private static string Flat(string output) => string.Join(' ', output.Split('\n', StringSplitOptions.TrimEntries));
}
