using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// A scenario an administrator switched on or off is operational data on PostgreSQL: the node that takes over from the
/// last published build has the switch made on the writer since, not the flag its copy of the catalogue holds.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScenarioSwitchTests(PostgresServer postgres)
{
    [SkippableFact]
    public void A_scenario_switched_off_on_the_writer_since_the_last_build_is_off_on_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.NewOps();
        using var writer = new TestWarehouse(ops: ops);
        var onWriter = Runner(writer);
        onWriter.SetEnabled("s05_arrears_suspension", false, "admin");
        Assert.False(Enabled(writer, "s05_arrears_suspension"));

        // the published build: its catalogue has s05 off and s04 on
        var build = writer.PublishBuild();

        // after the build, on the writer only: s04 off, s05 on again
        onWriter.SetEnabled("s04_bill_drop", false, "admin");
        onWriter.SetEnabled("s05_arrears_suspension", true, "admin");

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        Assert.True(Enabled(survivor, "s04_bill_drop"));
        Assert.False(Enabled(survivor, "s05_arrears_suspension"));
        var catalogue = Runner(survivor).Sync();

        Assert.False(catalogue.Single(s => s.ScenarioId == "s04_bill_drop").Enabled);
        Assert.True(catalogue.Single(s => s.ScenarioId == "s05_arrears_suspension").Enabled);
        Assert.False(Enabled(survivor, "s04_bill_drop"));
        Assert.True(Enabled(survivor, "s05_arrears_suspension"));
        // the scenarios nobody switched keep their default
        Assert.All(catalogue.Where(s => s.ScenarioId is not ("s04_bill_drop" or "s05_arrears_suspension")), s => Assert.True(s.Enabled, s.ScenarioId));
    }

    private static DetectorRunner Runner(TestWarehouse w)
    {
        var audit = new AuditLog(w.Db);
        var catalog = ScenarioCatalog.Load(w.Db.Sql);
        return new DetectorRunner(w.Db, catalog, new ScenarioParameters(w.Db, catalog, audit), new CustomRules(w.Db, audit), audit);
    }

    private static bool Enabled(TestWarehouse w, string scenarioId) =>
        w.Scalar<bool>("select enabled from det.scenario where scenario_id = $scenarioId", new { scenarioId });
}
