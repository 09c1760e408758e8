using System.Net;
using System.Text.Json;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Offers;

/// <summary>GET /api/offers/{subscriberId} over real HTTP: ranked offers in scope, 404 and an audit entry outside it.</summary>
[Collection(PortalCollection.Name)]
public sealed class OffersEndpointTests(PortalHost portal)
{
    [Fact]
    public async Task An_agent_gets_ranked_offers_for_a_subscriber_of_their_city()
    {
        var http = await AccessMatrixTests.ClientFor(portal, "agent.hz1");

        var body = JsonDocument.Parse(await http.GetStringAsync("api/offers/S00000004?scenarios=s06_small_balance,s13_churn_warning")).RootElement;
        var ranks = body.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("rank").GetDouble()).ToList();

        Assert.Equal("S00000004", body.GetProperty("subscriberId").GetString());
        // S00000004 is a prepaid low-value line: the top-up bonus (s06) and the data boost (s13) fit, nothing postpaid
        Assert.Equal(["data_boost_10gb", "prepaid_topup_bonus"],
            body.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("offerId").GetString()).ToList());
        Assert.Equal(ranks.OrderDescending().ToList(), ranks);
        Assert.All(body.GetProperty("offers").EnumerateArray(), o => Assert.False(string.IsNullOrEmpty(o.GetProperty("whyEligible").GetString())));
    }

    [Fact]
    public async Task A_subscriber_outside_the_agents_city_is_not_found_and_the_attempt_is_audited()
    {
        var agent = await AccessMatrixTests.ClientFor(portal, "agent.hz1");
        var admin = await AccessMatrixTests.ClientFor(portal, "admin");

        using var outside = await agent.GetAsync("api/offers/S00000002");
        using var unknown = await agent.GetAsync("api/offers/NOPE");
        using var province = await admin.GetAsync("api/offers/S00000002");
        var denials = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=denied&user=agent.hz1")).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("target").GetString(), e.GetProperty("detail").GetString())).ToList();

        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, province.StatusCode);
        Assert.Contains(("S00000002", "offers"), denials);
    }
}
