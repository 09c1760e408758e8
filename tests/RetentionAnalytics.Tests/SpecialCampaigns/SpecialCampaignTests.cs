using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.SpecialCampaigns;
using RetentionAnalytics.Tests.NewSubscribers;

namespace RetentionAnalytics.Tests.SpecialCampaigns;

public sealed class SpecialCampaignTests
{
    private const string ContractEndsSoon = """
        {"op": "and", "conditions": [{"field": "months_to_contract_end", "operator": "<=", "value": 2},
                                     {"field": "plan_code", "operator": "in", "values": ["Q88", "Q128"]}]}
        """;

    private static CampaignWorld World()
    {
        var w = new CampaignWorld();
        foreach (var (id, city, plan, end) in new[]
        {
            ("HZ1", "571", "Q88", 1), ("HZ2", "571", "Q128", 2), ("HZ3", "571", "Q88", 3), ("HZ4", "571", "P28", 1),
            ("HZ5", "571", "Q88", 0), ("HZ6", "571", "Q88", 2), ("NB1", "574", "Q88", 1), ("NB2", "574", "Q128", 0),
        })
        {
            w.Subscriber(id, city: city, plan: plan).Features(id, city: city, plan: plan, monthsToContractEnd: end);
        }
        w.Subscriber("NULL1").Features("NULL1", plan: "Q88", monthsToContractEnd: null);
        return w;
    }

    [Fact]
    public void A_supervisor_gets_the_segment_within_their_own_cities_with_exclusions_and_the_questionnaire()
    {
        using var w = World();
        w.Blacklist("HZ6").Complaint("HZ5");

        var campaign = w.Special.Create(new SpecialCampaignRequest("Broadband renewals", ContractEndsSoon, "broadband", 0),
            "supervisor.hz", CampaignWorld.Hangzhou, CampaignWorld.Today);

        Assert.Equal(
            [new CampaignWorld.Member("HZ1", "571", "treated", null), new CampaignWorld.Member("HZ2", "571", "treated", null),
             new CampaignWorld.Member("HZ5", "571", "excluded", "open_complaint"), new CampaignWorld.Member("HZ6", "571", "excluded", "blacklist")],
            w.Members(campaign.CampaignId));
        Assert.Equal(["HZ1", "HZ2"], w.TaskSubscribers(campaign.CampaignId));
        Assert.Equal("broadband", campaign.QuestionnaireId);
        Assert.Equal((4L, 2L, 2L), (campaign.Members, campaign.Treated, campaign.Tasks));
        Assert.All(w.W.Query<string>("select team_id from ops.task"), t => Assert.Equal("T571-RET", t));
    }

    [Fact]
    public void The_province_sees_every_city_and_a_city_viewer_only_counts_their_own()
    {
        using var w = World();

        var campaign = w.Special.Create(new SpecialCampaignRequest("Province renewals", ContractEndsSoon, "broadband", 0),
            "admin", RegionScope.WholeProvince, CampaignWorld.Today);

        Assert.Equal(["HZ1", "HZ2", "HZ5", "HZ6", "NB1", "NB2"], w.TaskSubscribers(campaign.CampaignId));
        Assert.Equal(2L, w.Special.Get(campaign.CampaignId, RegionScope.ForCities(["574"]))!.Members);
        Assert.DoesNotContain(w.Special.All(RegionScope.None), c => c.Members > 0);
    }

    [Fact]
    public void A_refresh_adds_only_new_matches_and_the_control_group_follows_the_holdout()
    {
        using var w = World();
        // the control group is drawn at random per campaign: with 26 members, the chance that none falls into it is 2^-26
        for (var i = 0; i < 20; i++)
        {
            w.Subscriber($"HZX{i}").Features($"HZX{i}", plan: "Q88", monthsToContractEnd: 1);
        }
        var campaign = w.Special.Create(new SpecialCampaignRequest("Renewals", ContractEndsSoon, "broadband", 0.5),
            "admin", RegionScope.WholeProvince, CampaignWorld.Today);
        var before = w.Members(campaign.CampaignId);
        w.Subscriber("NEW").Features("NEW", plan: "Q88", monthsToContractEnd: 1);

        var refresh = w.Special.Refresh(campaign.CampaignId, "admin", CampaignWorld.Today);

        Assert.Equal(1L, refresh.AddedMembers);
        Assert.Equal(before, w.Members(campaign.CampaignId).Where(m => m.SubscriberId != "NEW").ToList());
        Assert.Contains(before, m => m.MemberGroup == "control");
        Assert.Empty(w.TaskSubscribers(campaign.CampaignId).Intersect(before.Where(m => m.MemberGroup == "control").Select(m => m.SubscriberId)));
    }

    [Theory]
    [InlineData("""{"field": "salary", "operator": "=", "value": 1}""", "unknown field")]
    [InlineData("""{"field": "months_to_contract_end", "operator": "<=", "value": "soon"}""", "needs a whole number")]
    [InlineData("not json", "not well-formed")]
    public void A_segment_in_anything_but_the_rule_language_is_refused(string segment, string message)
    {
        using var w = World();

        var ex = Assert.Throws<SpecialCampaignException>(() =>
            w.Special.Create(new SpecialCampaignRequest("x", segment, "broadband", 0), "admin", RegionScope.WholeProvince));

        Assert.Contains(message, ex.Message);
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.campaign"));
    }

    [Fact]
    public void A_missing_questionnaire_or_scope_is_refused()
    {
        using var w = World();

        Assert.Throws<SpecialCampaignException>(() =>
            w.Special.Create(new SpecialCampaignRequest("x", ContractEndsSoon, "nope", 0), "admin", RegionScope.WholeProvince));
        Assert.Throws<SpecialCampaignException>(() =>
            w.Special.Create(new SpecialCampaignRequest("x", ContractEndsSoon, "broadband", 0), "nobody", RegionScope.None));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.campaign"));
    }
}
