using System.Globalization;
using System.Text.Json.Nodes;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Portal.Features.CustomRules;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>The rule builder's form ↔ the service's JSON: what the analyst typed is what the service checks and runs.</summary>
public sealed class CustomRulesDraftTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de");

    private static RuleDraft TwoConditions(string trend, string tiers)
    {
        var draft = new RuleDraft();
        draft.Groups[0][0].SetField("arpu_trend");
        draft.Groups[0][0].Operator = "<";
        draft.Groups[0][0].Value = trend;
        var tier = new DraftCondition();
        tier.SetField("value_tier");
        tier.Operator = "in";
        tier.Value = tiers;
        draft.Groups[0].Add(tier);
        return draft;
    }

    [Fact]
    public void One_group_of_two_conditions_is_an_and_with_typed_values_the_service_accepts()
    {
        var json = TwoConditions("0.5", "high, mid").ToJson(English);

        CustomRules.Parse(json);
        var expected = JsonNode.Parse("""
            {"op":"and","conditions":[{"field":"arpu_trend","operator":"<","value":0.5},
              {"field":"value_tier","operator":"in","values":["high","mid"]}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(json)), json);
        Assert.Equal("arpu_trend < 0.5 AND value_tier in [high, mid]", TwoConditions("0.5", "high, mid").Describe(English, "AND", "OR"));
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("0.5")]
    public void A_German_page_reads_the_decimal_comma_and_the_point(string typed)
    {
        var json = JsonNode.Parse(TwoConditions(typed, "high; mid").ToJson(German))!;

        Assert.Equal(0.5m, json["conditions"]![0]!["value"]!.GetValue<decimal>());
        Assert.Equal("arpu_trend < 0,5 UND value_tier in [high, mid]", TwoConditions(typed, "high, mid").Describe(German, "UND", "ODER"));
    }

    [Theory]
    [InlineData("tenure_months", ">", "twelve", "tenure_months (int) needs a whole number")]
    [InlineData("tenure_months", ">", "12.5", "tenure_months (int) needs a whole number")]
    [InlineData("arpu", "between", "", "arpu (decimal) needs a number")]
    public void A_value_that_does_not_fit_the_field_reaches_the_service_as_text_and_is_refused(string field, string op, string value, string message)
    {
        var draft = new RuleDraft();
        draft.Groups[0][0].SetField(field);
        draft.Groups[0][0].Operator = op;
        draft.Groups[0][0].Value = value;
        draft.Groups[0][0].Value2 = "10";

        var ex = Assert.Throws<CustomRuleException>(() => CustomRules.Parse(draft.ToJson(English)));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void The_documented_and_of_or_group_round_trips_through_the_builder()
    {
        const string documented = """
            {"op": "and", "conditions": [
              {"field": "arpu_trend", "operator": "<", "value": 0.5},
              {"op": "or", "conditions": [
                {"field": "value_tier", "operator": "in", "values": ["high", "mid"]},
                {"field": "complaints_90d", "operator": ">=", "value": 2},
                {"field": "tenure_months", "operator": "between", "values": [12, 36]},
                {"field": "months_to_contract_end", "operator": "is null"}
              ]}
            ]}
            """;

        var draft = RuleDraft.FromJson(documented, English)!;

        Assert.Equal("and", draft.Op);
        Assert.Equal([1, 4], draft.Groups.Select(g => g.Count));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(documented), JsonNode.Parse(draft.ToJson(English))));
        Assert.Equal("arpu_trend < 0.5 AND (value_tier in [high, mid] OR complaints_90d >= 2 OR tenure_months between 12 and 36 OR months_to_contract_end is null)",
            draft.Describe(English, "AND", "OR"));
    }

    [Fact]
    public void Groups_nested_deeper_than_two_levels_are_not_shown_in_the_builder()
    {
        const string deep = """
            {"op": "or", "conditions": [
              {"op": "and", "conditions": [
                {"field": "arpu", "operator": ">", "value": 1},
                {"op": "or", "conditions": [{"field": "is_new", "operator": "=", "value": true}]}
              ]}
            ]}
            """;

        Assert.Null(RuleDraft.FromJson(deep, English));
    }

    [Fact]
    public void Choosing_another_field_keeps_only_an_operator_that_still_applies()
    {
        var condition = new DraftCondition();
        condition.SetField("arpu");
        condition.Operator = "between";

        condition.SetField("payment_type");

        Assert.Equal("=", condition.Operator);
        Assert.Equal(["=", "<>", "is null", "is not null"], RuleDraft.OperatorsFor("bool"));
    }
}
