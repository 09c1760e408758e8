using System.Globalization;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Offers;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Campaigns;

public static class CampaignsSetup
{
    /// <summary>
    /// Questionnaires, retention offers, new-subscriber callbacks and special campaigns. Their Core services come with
    /// the warehouse (AddWarehouseCore → AddCampaigns); nothing else to register here.
    /// </summary>
    public static WebApplicationBuilder AddCampaigns(this WebApplicationBuilder builder) => builder;

    /// <summary>Seeds questionnaires and offers that are missing, and maps <c>GET /api/offers/{subscriberId}</c>.</summary>
    public static WebApplication MapCampaigns(this WebApplication app)
    {
        try
        {
            var questionnaires = app.Services.GetRequiredService<QuestionnaireCatalog>().EnsureSeeded();
            var offers = app.Services.GetRequiredService<OfferCatalog>().EnsureSeeded();
            app.Logger.LogInformation("Campaign seeds: {Questionnaires} questionnaire(s), {Offers} offer(s) added", questionnaires, offers);
        }
        catch (Exception ex)
        {
            // a broken seed file must not keep the portal down: the pages show what is there
            app.Logger.LogError("Campaign seeding failed with {ExceptionType}", ex.GetType().FullName);
        }

        // ranked offers for a subscriber in the caller's scope; scenarios from ?scenarios=a,b or the subscriber's open
        // tasks. outside the scope (or unknown) the answer is 404 and the attempt is audited, as for the customer 360
        app.MapGet("/api/offers/{subscriberId}", (string subscriberId, string? scenarios, OfferSuggestions offers, AuditLog audit,
                ICurrentUser user) =>
            {
                var viewer = new CustomerViewer(user.Username, user.Scope, false, user.ClientIp,
                    CustomerViewer.LanguageOf(CultureInfo.CurrentUICulture.Name));
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
