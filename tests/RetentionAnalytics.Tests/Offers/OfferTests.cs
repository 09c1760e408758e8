using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Offers;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.NewSubscribers;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Offers;

/// <summary>Offers in the warehouse file (here) or in PostgreSQL (the derived class); suggestions read the warehouse.</summary>
public class OfferTests
{
    private readonly Func<OpsOptions?> _ops;

    public OfferTests() : this(() => null)
    {
    }

    protected OfferTests(Func<OpsOptions?> ops) => _ops = ops;

    private static readonly CustomerViewer Province = new("agent.hz1", RegionScope.WholeProvince, true);

    private static Offer O(string id, string? plans = null, string? tiers = null, string? scenarios = null, string? payment = null,
        int? minTenure = null, int? maxTenure = null, double weight = 1, double scenarioBonus = 0, double tierBonus = 0, bool active = true) =>
        new(id, id + " en", id + " de", id + " zh", null, 10, 0, plans, tiers, scenarios, payment, minTenure, maxTenure, weight,
            scenarioBonus, tierBonus, active);

    private CampaignWorld World(params Offer[] offers)
    {
        var w = new CampaignWorld(_ops());
        foreach (var o in offers)
        {
            w.Offers.Save(o, "admin");
        }
        return w;
    }

    private static List<string> Ids(CampaignWorld w, string subscriber, params string[] scenarios) =>
        w.Suggestions.For(subscriber, scenarios, Province)!.Select(s => s.OfferId).ToList();

    [SkippableFact]
    public void Tenure_limits_include_their_boundaries()
    {
        using var w = World(O("loyal", minTenure: 12), O("welcome", maxTenure: 3));
        w.Subscriber("S11").Features("S11", tenure: 11).Subscriber("S12").Features("S12", tenure: 12)
            .Subscriber("S3").Features("S3", tenure: 3).Subscriber("S4").Features("S4", tenure: 4);

        Assert.Empty(Ids(w, "S11"));
        Assert.Equal(["loyal"], Ids(w, "S12"));
        Assert.Equal(["welcome"], Ids(w, "S3"));
        Assert.Empty(Ids(w, "S4"));
    }

    [SkippableFact]
    public void Plans_tiers_payment_types_and_scenarios_must_all_match()
    {
        using var w = World(
            O("plan_q88", plans: "Q88,Q128"), O("high_only", tiers: "high"), O("prepaid_only", payment: "prepaid"),
            O("expiry", scenarios: "s08_contract_expiry"), O("inactive", active: false));
        w.Subscriber("A").Features("A", plan: "Q88", tier: "high", payment: "prepaid");
        w.Subscriber("B").Features("B", plan: "P28", tier: "mid", payment: "postpaid");

        Assert.Equal(["expiry", "high_only", "plan_q88", "prepaid_only"], Ids(w, "A", "s08_contract_expiry").Order().ToList());
        Assert.Equal(["high_only", "plan_q88", "prepaid_only"], Ids(w, "A", "s13_churn_warning").Order().ToList());
        Assert.Empty(Ids(w, "B"));
    }

    [SkippableFact]
    public void Offers_rank_by_weight_plus_the_bonuses_that_apply_and_say_why()
    {
        using var w = World(
            O("base", weight: 3),
            O("scenario", scenarios: "s04_bill_drop", weight: 2, scenarioBonus: 1.5),
            O("tier", tiers: "mid", weight: 2, tierBonus: 0.5),
            O("tie_a", weight: 2.5), O("tie_b", weight: 2.5));
        w.Subscriber("S").Features("S", tier: "mid", tenure: 30);

        var offers = w.Suggestions.For("S", ["s04_bill_drop"], Province)!;

        Assert.Equal(["scenario", "base", "tie_a", "tie_b", "tier"], offers.Select(o => o.OfferId).ToList());
        Assert.Equal([3.5, 3, 2.5, 2.5, 2.5], offers.Select(o => o.Rank).ToList());
        Assert.Equal("scenario s04_bill_drop", offers[0].WhyEligible);
        Assert.Equal("value tier mid", offers.Single(o => o.OfferId == "tier").WhyEligible);
        Assert.Equal("open to every subscriber", offers.Single(o => o.OfferId == "base").WhyEligible);
    }

    [SkippableFact]
    public void Why_an_offer_is_eligible_comes_by_rule_with_plan_and_scenario_names_in_the_viewers_language()
    {
        using var w = World(O("scenario", scenarios: "s04_bill_drop,s08_contract_expiry"), O("plan", plans: "Q88", tiers: "mid", payment: "prepaid", minTenure: 6),
            O("base"));
        w.Exec("""
            insert into det.scenario (scenario_id, kind, name_en, name_de, name_zh, priority, action) values
                ('s04_bill_drop', 'scenario', 'Bill drop', 'Rechnungsrückgang', '话费突减', 2, 'call')
            """);
        w.Subscriber("S").Features("S", plan: "Q88", tier: "mid", payment: "prepaid", tenure: 30);

        var offers = w.Suggestions.For("S", ["s04_bill_drop"], Province with { Language = "de" })!.ToDictionary(o => o.OfferId);

        Assert.Equal(new EligibleBecause(null, null, null, null, "Rechnungsrückgang"), offers["scenario"].Why);
        Assert.Equal(new EligibleBecause("Quanqiutong 88", "mid", "prepaid", 30, null), offers["plan"].Why);
        Assert.True(offers["base"].Why.OpenToEveryone);
        Assert.Equal("scenario s04_bill_drop", offers["scenario"].WhyEligible);
    }

    [SkippableFact]
    public void The_newest_feature_month_decides()
    {
        using var w = World(O("high_only", tiers: "high"));
        w.Subscriber("S").Features("S", tier: "high", month: new DateOnly(2026, 9, 1)).Features("S", tier: "low");

        Assert.Empty(Ids(w, "S"));
    }

    [SkippableFact]
    public void A_subscriber_outside_the_viewers_scope_or_unknown_gets_no_answer()
    {
        using var w = World(O("base"));
        w.Subscriber("NB", city: "574").Features("NB", city: "574");

        Assert.Null(w.Suggestions.For("NB", [], new CustomerViewer("agent.hz1", CampaignWorld.Hangzhou, true)));
        Assert.Null(w.Suggestions.For("NB", [], new CustomerViewer("x", RegionScope.None, true)));
        Assert.Null(w.Suggestions.For("NOPE", [], Province));
        Assert.Equal(["base"], w.Suggestions.For("NB", [], new CustomerViewer("manager.nb", RegionScope.ForCities(["574"]), true))!.Select(o => o.OfferId));
    }

    [SkippableFact]
    public void Invalid_rules_are_refused()
    {
        using var w = new CampaignWorld(_ops());

        Assert.Throws<OfferException>(() => w.Offers.Save(O("x", minTenure: 12, maxTenure: 6), "admin"));
        Assert.Throws<OfferException>(() => w.Offers.Save(O("x", tiers: "gold"), "admin"));
        Assert.Throws<OfferException>(() => w.Offers.Save(O("x", payment: "credit"), "admin"));
        Assert.Throws<OfferException>(() => w.Offers.Save(O("bad id"), "admin"));
        Assert.Throws<OfferException>(() => w.Offers.Save(O("x", weight: -1), "admin"));
        Assert.Throws<OfferException>(() => w.Offers.Save(O("x") with { NameDe = "" }, "admin"));
        Assert.Empty(w.Offers.All());

        // lists are normalised: blanks and duplicates go, an empty list means any
        w.Offers.Save(O("x", tiers: " high, mid ,high", plans: " "), "admin");
        var saved = Assert.Single(w.Offers.All());
        Assert.Equal("high,mid", saved.ValueTiers);
        Assert.Null(saved.Plans);
    }

    [SkippableFact]
    public void The_seed_offers_load_once()
    {
        using var w = new CampaignWorld(_ops());

        Assert.True(w.Offers.EnsureSeeded() >= 5);
        Assert.Equal(0, w.Offers.EnsureSeeded());
        w.Subscriber("P").Features("P", payment: "prepaid", tier: "low", tenure: 2);
        Assert.Equal(["prepaid_topup_bonus", "welcome_bundle"], Ids(w, "P", "s06_small_balance"));
    }
}

/// <summary>The same with the offers in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OfferTestsOnPostgres(PostgresServer postgres) : OfferTests(postgres.NewOps);
