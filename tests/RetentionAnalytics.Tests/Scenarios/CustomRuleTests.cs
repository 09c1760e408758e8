using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>Custom rules stored in the warehouse file (here) or in PostgreSQL (<see cref="CustomRuleTestsOnPostgres"/>).</summary>
public class CustomRuleTests : IDisposable
{
    protected const string LowBillHighValue = """
        {"op": "and", "conditions": [
            {"field": "arpu_trend", "operator": "<", "value": 0.5},
            {"op": "or", "conditions": [
                {"field": "value_tier", "operator": "in", "values": ["high", "mid"]},
                {"field": "complaints_90d", "operator": ">=", "value": 2}
            ]}
        ]}
        """;

    private readonly DetectorWarehouse w;

    public CustomRuleTests() : this(null)
    {
    }

    protected CustomRuleTests(OpsOptions? ops)
    {
        w = new DetectorWarehouse(ops);
        w.Feature("HZ1", new { city_code = "571", value_tier = "high", arpu_trend = 0.3 });
        w.Feature("HZ2", new { city_code = "571", value_tier = "low", arpu_trend = 0.3, complaints_90d = 2 });
        w.Feature("HZ3", new { city_code = "571", value_tier = "low", arpu_trend = 0.3 });          // neither branch of the or
        w.Feature("HZ4", new { city_code = "571", value_tier = "high", arpu_trend = 0.5 });         // exactly at: not below
        w.Feature("NB1", new { city_code = "574", value_tier = "mid", arpu_trend = 0.1 });
        w.Feature("NB2", new { city_code = "574", value_tier = "mid", arpu_trend = 0.1, status = "churned" });
    }

    public void Dispose()
    {
        w.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public void A_rule_runs_like_a_built_in_scenario_with_evidence_listing_the_matched_conditions()
    {
        var rule = w.Rules.Create("Low bill, valuable or complaining", "test rule", LowBillHighValue, 2, "call", "analyst", RegionScope.WholeProvince);

        var alerts = w.Detect(rule.ScenarioId);

        Assert.Equal(["HZ1", "HZ2", "NB1"], alerts.Keys.Order());
        Assert.Equal("rule Low bill, valuable or complaining: arpu_trend < 0.5 (is 0.3); value_tier in [high, mid] (is high)", alerts["HZ1"].Evidence);
        Assert.Equal("rule Low bill, valuable or complaining: arpu_trend < 0.5 (is 0.3); complaints_90d >= 2 (is 2)", alerts["HZ2"].Evidence);
        Assert.Equal(0.8, alerts["HZ1"].Score, 6);
        Assert.Equal("custom", w.Scalar<string>("select kind from det.scenario where scenario_id = $id", new { id = rule.ScenarioId }));
        Assert.Equal("rule_change", w.Audit.Query()[0].Action);
    }

    [SkippableFact]
    public void A_rule_never_flags_subscribers_outside_its_owners_scope_and_a_preview_never_reads_outside_the_callers()
    {
        var hangzhou = RegionScope.ForCities(["571"]);
        var rule = w.Rules.Create("Hangzhou low bills", null, LowBillHighValue, 3, "call", "manager.hz", hangzhou);

        Assert.Equal(["HZ1", "HZ2"], w.Detect(rule.ScenarioId).Keys.Order());

        // a province-wide rule previewed by a Ningbo manager shows Ningbo only; by nobody, nothing
        var ningbo = w.Preview.PreviewRule(LowBillHighValue, RegionScope.ForCities(["574"]));
        Assert.Equal([new CityFlagged("574", 1)], ningbo.Cities);
        Assert.Empty(w.Preview.PreviewRule(LowBillHighValue, RegionScope.None).Cities);
        // the Hangzhou rule previewed by a Ningbo manager: the scopes do not overlap
        Assert.Empty(w.Preview.Preview(rule.ScenarioId, null, RegionScope.ForCities(["574"])).Cities);
        // and the scoped read of its alerts follows the caller's scope too
        Assert.Empty(w.Runner.Alerts(rule.ScenarioId, DetectorWarehouse.Period, RegionScope.ForCities(["574"])));
        Assert.Equal(2, w.Runner.Alerts(rule.ScenarioId, DetectorWarehouse.Period, hangzhou).Count);
    }

    [SkippableTheory]
    [InlineData("""{"op": "and", "conditions": [{"field": "city_code; drop table det.alert", "operator": "=", "value": "571"}]}""", "unknown field \"city_code; drop table det.alert\"")]
    [InlineData("""{"op": "and", "conditions": [{"field": "msisdn", "operator": "=", "value": "1"}]}""", "unknown field \"msisdn\"")]
    [InlineData("""{"op": "and", "conditions": [{"field": "arpu", "operator": "= 1 or 1=1 --", "value": 1}]}""", "arpu: unknown operator")]
    [InlineData("""{"op": "and", "conditions": [{"field": "arpu", "operator": "like", "value": 1}]}""", "arpu: unknown operator \"like\"")]
    [InlineData("""{"op": "and", "conditions": [{"field": "tenure_months", "operator": ">", "value": "1 or 1=1"}]}""", "tenure_months (int) needs a whole number, not the text \"1 or 1=1\"")]
    [InlineData("""{"op": "and", "conditions": [{"field": "tenure_months", "operator": ">", "value": 1.5}]}""", "tenure_months (int) needs a whole number")]
    [InlineData("""{"op": "and", "conditions": [{"field": "is_roaming", "operator": "=", "value": "true"}]}""", "is_roaming (bool) needs true or false")]
    [InlineData("""{"op": "and", "conditions": [{"field": "value_tier", "operator": ">", "value": "high"}]}""", "value_tier (text): operator > does not apply")]
    [InlineData("""{"op": "and", "conditions": [{"field": "arpu", "operator": "between", "values": [100, 10]}]}""", "the low value is above the high value")]
    [InlineData("""{"op": "and", "conditions": [{"field": "arpu", "operator": "between", "value": 10}]}""", "arpu between needs \"values\": [low, high]")]
    [InlineData("""{"op": "and", "conditions": [{"field": "balance", "operator": "is null", "value": 1}]}""", "balance is null takes no value")]
    [InlineData("""{"op": "xor", "conditions": [{"field": "arpu", "operator": ">", "value": 1}]}""", "group op must be \"and\" or \"or\"")]
    [InlineData("""{"op": "and", "conditions": []}""", "a group needs at least one condition")]
    [InlineData("""{"op": "and", "conditions": [{"feild": "arpu", "operator": ">", "value": 1}]}""", "unknown key")]
    [InlineData("""not json""", "not well-formed JSON")]
    public void An_invalid_or_hostile_rule_is_refused_with_a_clear_error(string definition, string expected)
    {
        var error = Assert.Throws<CustomRuleException>(() => w.Rules.Create("bad", null, definition, 3, "call", "analyst", RegionScope.WholeProvince));
        Assert.Contains(expected, error.Message);
        Assert.Empty(w.Rules.All());
    }

    [SkippableFact]
    public void Hostile_values_in_text_conditions_are_bound_and_therefore_harmless()
    {
        var definition = """
            {"op": "or", "conditions": [
                {"field": "value_tier", "operator": "=", "value": "'; drop table det.alert; --"},
                {"field": "city_code", "operator": "in", "values": ["1' or '1'='1", "574\" or 1=1 --"]},
                {"field": "plan_code", "operator": "<>", "value": "x' or 1=1 --"}
            ]}
            """;
        var rule = w.Rules.Create("quotes", null, definition, 3, "sms", "analyst", RegionScope.WholeProvince);

        var alerts = w.Detect(rule.ScenarioId);

        // only the last condition matches (plan_code is null for none, so <> matches nobody): nothing is flagged,
        // and the tables are all still there
        Assert.Empty(alerts);
        Assert.Equal(0, w.Scalar<long>("select count(*) from det.alert"));
        Assert.Equal(1, w.OpsScalar<long>("select count(*) from det.custom_rule"));

        w.Feature("Q1", new { city_code = "571", plan_code = "Q88" });
        var quoted = w.Detect(rule.ScenarioId);
        Assert.Equal(["Q1"], quoted.Keys);
        Assert.Contains("plan_code <> x' or 1=1 -- (is Q88)", quoted["Q1"].Evidence);
    }

    [SkippableFact]
    public void Rules_are_stored_updated_disabled_and_deleted_with_their_owner_kept()
    {
        var rule = w.Rules.Create("r", null, LowBillHighValue, 3, "call", "analyst", RegionScope.WholeProvince);
        var updated = w.Rules.Update(rule.RuleId, "r2", "now with description",
            """{"op": "and", "conditions": [{"field": "arpu_trend", "operator": "between", "values": [0.05, 0.2]}]}""", 1, "both", enabled: false, "admin");

        Assert.Equal(("r2", "analyst", 1, false), (updated.Name, updated.Owner, updated.Priority, updated.Enabled));
        Assert.Equal(rule.CreatedAt, updated.CreatedAt);
        Assert.Equal(1, w.OpsScalar<long>("select count(*) from det.custom_rule"));
        Assert.DoesNotContain(w.Runner.Run(DetectorWarehouse.Period), r => r.ScenarioId == rule.ScenarioId);
        Assert.Equal(["NB1"], w.Detect(rule.ScenarioId).Keys);

        w.Rules.Delete(rule.RuleId, "admin");
        Assert.Empty(w.Rules.All());
        Assert.Throws<ScenarioException>(() => w.Runner.Run(DetectorWarehouse.Period, rule.ScenarioId));
    }
}

/// <summary>The same with the rules in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CustomRuleTestsOnPostgres(PostgresServer postgres) : CustomRuleTests(postgres.NewOps());
