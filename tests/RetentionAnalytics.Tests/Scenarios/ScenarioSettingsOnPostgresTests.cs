using Npgsql;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Portal.Features.Sms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>
/// Two portal nodes, each with its own warehouse file, sharing one operational database in a real PostgreSQL: the
/// scenario settings saved on one node (custom rules, tuned parameters) are used by the other node's detection run and
/// SMS audiences, and live in neither file, so a fail-over to a file of the last build keeps them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScenarioSettingsOnPostgresTests(PostgresServer postgres)
{
    private const string LowBill = """{"op": "and", "conditions": [{"field": "arpu_trend", "operator": "<", "value": 0.5}]}""";

    [SkippableFact]
    public void A_rule_saved_on_one_node_is_detected_and_offered_by_another_and_lives_in_neither_file()
    {
        var ops = postgres.NewOps();
        using var first = new DetectorWarehouse(ops);
        using var second = new DetectorWarehouse(ops);
        second.Feature("HZ1", new { city_code = "571", arpu_trend = 0.3 });
        second.Feature("HZ2", new { city_code = "571", arpu_trend = 0.9 });

        var rule = first.Rules.Create("Low bill", null, LowBill, 2, "sms", "analyst", RegionScope.WholeProvince);

        var alerts = second.Detect(rule.ScenarioId);
        Assert.Equal(["HZ1"], alerts.Keys);
        Assert.Equal("rule Low bill: arpu_trend < 0.5 (is 0.3)", alerts["HZ1"].Evidence);
        Assert.Equal("Low bill", second.Scalar<string>("select name_en from det.scenario where scenario_id = $id", new { id = rule.ScenarioId }));
        Assert.Contains(new SmsQueries(second.Db, second.Rules).AudienceChoices(RegionScope.WholeProvince, "en"),
            c => (c.Kind, c.Ref, c.Name) == ("saved_filter", rule.ScenarioId, "Low bill"));
        // one sequence for both nodes: a rule the other node saves gets the next id
        Assert.Equal(rule.RuleId + 1, second.Rules.Create("Other", null, LowBill, 3, "call", "analyst", RegionScope.WholeProvince).RuleId);

        // disabled on the second node: the first node's run of every scenario leaves it out, and so do its SMS audiences
        second.Rules.Update(rule.RuleId, "Low bill", null, LowBill, 2, "sms", enabled: false, "admin");
        Assert.DoesNotContain(first.Runner.Run(DetectorWarehouse.Period), r => r.ScenarioId == rule.ScenarioId);
        Assert.DoesNotContain(new SmsQueries(first.Db, first.Rules).AudienceChoices(RegionScope.WholeProvince, "en"),
            c => c.Ref == rule.ScenarioId);

        Assert.Equal(2L, first.OpsScalar<long>("select count(*) from det.custom_rule"));
        Assert.Equal(0L, first.Scalar<long>("select count(*) from det.custom_rule"));
        Assert.Equal(0L, second.Scalar<long>("select count(*) from det.custom_rule"));
    }

    [SkippableFact]
    public void A_parameter_changed_on_one_node_is_used_by_the_next_run_of_another_and_lives_in_neither_file()
    {
        var ops = postgres.NewOps();
        using var first = new DetectorWarehouse(ops);
        using var second = new DetectorWarehouse(ops);
        second.Feature("down1", new { star_level = 4, star_level_previous = 5, star_level_change = -1 });
        second.Feature("down2", new { star_level = 3, star_level_previous = 5, star_level_change = -2 });
        Assert.Equal(["down1", "down2"], second.Detect("s02_membership_level_change").Keys.Order());

        first.Parameters.Set("s02_membership_level_change", "min_level_drop", "2", "admin");

        Assert.Equal(["down2"], second.Detect("s02_membership_level_change").Keys);
        Assert.Contains("\"min_level_drop\":\"2\"", second.Runner.Runs("s02_membership_level_change")[0].ParamsJson);
        Assert.Equal(("1", "2", "admin"), second.Parameters.History("s02_membership_level_change")
            .Select(h => (h.OldValue, h.NewValue, h.ChangedBy)).Single());
        Assert.Equal(1L, first.OpsScalar<long>("select count(*) from det.scenario_parameter"));
        foreach (var node in new[] { first, second })
        {
            Assert.Equal(0L, node.Scalar<long>("select count(*) from det.scenario_parameter"));
            Assert.Equal(0L, node.Scalar<long>("select count(*) from det.scenario_parameter_history"));
        }
    }

    [SkippableFact]
    public void A_value_another_node_stores_at_the_same_moment_leaves_one_value_in_force_the_later_one()
    {
        var ops = postgres.NewOps();
        using var node = new DetectorWarehouse(ops);
        using var otherNode = new NpgsqlConnection(ops.ConnectionString);
        otherNode.Open();
        Task set;
        using (var tx = otherNode.BeginTransaction())
        {
            // the other node has stored its value but not committed yet when this node replaces it
            using (var insert = new NpgsqlCommand(
                "insert into det.scenario_parameter values ('s04_bill_drop', 'drop_pct', '30', 'admin2', now())", otherNode, tx))
            {
                insert.ExecuteNonQuery();
            }
            set = Task.Run(() => node.Parameters.Set("s04_bill_drop", "drop_pct", "35", "admin"));
            WaitForLockWait(ops.ConnectionString!);
            tx.Commit();
        }

        Assert.True(set.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal("35", node.Parameters.Current("s04_bill_drop").Single(p => p.Name == "drop_pct").Value);
        Assert.Equal(1L, node.OpsScalar<long>("select count(*) from det.scenario_parameter"));
        Assert.Equal(("30", "35"), node.Parameters.History("s04_bill_drop").Select(h => (h.OldValue, h.NewValue)).Single());
    }

    /// <summary>Until a session of the database waits for another's lock (this node's insert for the other's key).</summary>
    private static void WaitForLockWait(string connectionString)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var waiting = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", c);
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((long)waiting.ExecuteScalar()! == 0)
        {
            Assert.True(DateTime.UtcNow < until, "the other session never waited for the key");
            Thread.Sleep(20);
        }
    }
}
