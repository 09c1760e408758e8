using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Offers;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Campaigns;

public static class CampaignsSetup
{
    /// <summary>Maps <c>GET /api/offers/{subscriberId}</c>; questionnaires and offers are seeded by the pipeline step <c>campaign-seeds</c>.</summary>
    public static WebApplication MapCampaigns(this WebApplication app)
    {
        // ranked offers for a subscriber in the caller's scope; scenarios from ?scenarios=a,b or the subscriber's open
        // tasks. outside the scope (or unknown) the answer is 404 and the attempt is audited, as for the customer 360
        app.MapGet("/api/offers/{subscriberId}", (string subscriberId, string? scenarios, OfferSuggestions offers, AuditLog audit,
                ICurrentUser user) =>
            {
                var viewer = new CustomerViewer(user.Username, user.Scope, false, user.ClientIp,
                    PortalLanguage.Current);
                var scenarioIds = scenarios is null
                    ? offers.OpenTaskScenarios(subscriberId, user.Scope)
                    : scenarios.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(50).ToList();
                var result = offers.For(subscriberId, scenarioIds, viewer);
                if (result is null)
                {
                    audit.Write(user.Username, "denied", subscriberId, "denied", "offers", user.ClientIp);
                    return Results.NotFound();
                }
                return Results.Ok(new { subscriberId, scenarios = scenarioIds, offers = result });
            })
            .RequireAuthorization(PortalPolicies.OffersApi);
        return app;
    }
}
