using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>Parameters stored in the warehouse file (here) or in PostgreSQL (<see cref="ScenarioParameterTestsOnPostgres"/>).</summary>
public class ScenarioParameterTests : IDisposable
{
    private readonly DetectorWarehouse w;

    public ScenarioParameterTests() : this(null)
    {
    }

    protected ScenarioParameterTests(OpsOptions? ops) => w = new DetectorWarehouse(ops);

    public void Dispose()
    {
        w.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public void Current_values_are_the_yaml_defaults_until_a_value_is_stored()
    {
        var current = w.Parameters.Current("s04_bill_drop").ToDictionary(p => p.Name);
        Assert.Equal("40", current["drop_pct"].Value);
        Assert.Equal("high,mid", current["value_tiers"].Value);
        Assert.False(current["drop_pct"].Overridden);

        w.Parameters.Set("s04_bill_drop", "drop_pct", " 35.0 ", "admin");

        current = w.Parameters.Current("s04_bill_drop").ToDictionary(p => p.Name);
        Assert.Equal("35.0", current["drop_pct"].Value);
        Assert.True(current["drop_pct"].Overridden);
        Assert.Equal("40", current["drop_pct"].Default);
    }

    [SkippableTheory]
    [InlineData("s04_bill_drop", "drop_pct", "abc", "parameter drop_pct of s04_bill_drop (percent): 'abc' is not a number")]
    [InlineData("s04_bill_drop", "drop_pct", "0", "parameter drop_pct of s04_bill_drop (percent): 0 is outside 1 .. 99")]
    [InlineData("s04_bill_drop", "drop_pct", "150", "is not a percentage between 0 and 100")]
    [InlineData("s04_bill_drop", "drop_pct", "40,5", "is not a number (use a dot as the decimal separator)")]
    [InlineData("s08_contract_expiry", "days_ahead", "30.5", "parameter days_ahead of s08_contract_expiry (int): '30.5' is not a whole number")]
    [InlineData("s08_contract_expiry", "days_ahead", "366", "366 is outside 1 .. 365")]
    [InlineData("s01_snapshot_non_retention", "include_suspended", "yes", "'yes' is not true or false")]
    [InlineData("s04_bill_drop", "value_tiers", "high,gold", "'gold' not allowed; allowed: high, mid, low")]
    [InlineData("s04_bill_drop", "value_tiers", " , ", "the list is empty")]
    public void A_value_that_does_not_fit_its_declaration_is_refused_with_a_clear_error(string scenario, string name, string value, string expected)
    {
        var error = Assert.Throws<ScenarioParameterException>(() => w.Parameters.Set(scenario, name, value, "admin"));
        Assert.Contains(expected, error.Message);
        Assert.Empty(w.Parameters.History(scenario));
        Assert.Equal(0, w.OpsScalar<long>("select count(*) from ops.audit_log where action = 'parameter_change'"));
    }

    [SkippableFact]
    public void Unknown_scenarios_and_parameters_are_refused_and_custom_rules_have_no_parameters()
    {
        Assert.Contains("unknown scenario s99", Assert.Throws<ScenarioException>(() => w.Parameters.Set("s99", "x", "1", "admin")).Message);
        Assert.Contains("s04_bill_drop has no parameter threshold; it has: drop_pct, min_avg_bill, value_tiers",
            Assert.Throws<ScenarioParameterException>(() => w.Parameters.Set("s04_bill_drop", "threshold", "1", "admin")).Message);
        Assert.Contains("custom rule", Assert.Throws<ScenarioException>(() => w.Parameters.Set("custom_1", "x", "1", "admin")).Message);
    }

    [SkippableFact]
    public void Every_change_is_kept_in_the_history_and_the_audit_log_with_who_old_and_new()
    {
        w.Parameters.Set("s06_small_balance", "max_balance", "8", "admin");
        w.Parameters.Set("s06_small_balance", "max_balance", "12.5", "analyst");

        var history = w.Parameters.History("s06_small_balance");
        Assert.Equal([("5", "8", "admin"), ("8", "12.5", "analyst")], history.Select(h => (h.OldValue, h.NewValue, h.ChangedBy)));
        Assert.All(history, h => Assert.Equal("max_balance", h.Name));
        Assert.Equal(1, w.OpsScalar<long>("select count(*) from det.scenario_parameter where scenario_id = 's06_small_balance'"));

        var audit = w.Audit.Query(action: "parameter_change");
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a =>
        {
            Assert.Equal("s06_small_balance", a.Target);
            Assert.Equal("max_balance", a.Detail);
        });
        Assert.Equal(["analyst", "admin"], audit.Select(a => a.Username));
    }

    [SkippableFact]
    public void The_parameters_hash_depends_on_the_values_not_on_their_order()
    {
        var a = ScenarioParameters.Fingerprint(new Dictionary<string, string> { ["b"] = "1", ["a"] = "2" });
        var b = ScenarioParameters.Fingerprint(new Dictionary<string, string> { ["a"] = "2", ["b"] = "1" });
        var c = ScenarioParameters.Fingerprint(new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" });
        Assert.Equal(a, b);
        Assert.NotEqual(a.Hash, c.Hash);
    }
}

/// <summary>The same with the parameters in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ScenarioParameterTestsOnPostgres(PostgresServer postgres) : ScenarioParameterTests(postgres.NewOps());
