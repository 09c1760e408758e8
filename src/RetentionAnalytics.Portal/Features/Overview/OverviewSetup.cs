using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Overview;

public static class OverviewSetup
{
    public static WebApplicationBuilder AddOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OverviewQueries>();
        return builder;
    }

    /// <summary><c>GET /api/overview/kpis</c>: the overview's rows as JSON, scoped like the page.</summary>
    public static WebApplication MapOverview(this WebApplication app)
    {
        app.MapGet("/api/overview/kpis", (OverviewQueries queries, ICurrentUser user) => Results.Ok(queries.Kpis(user.Scope)))
            .RequireAuthorization(PortalPolicies.Reports);
        return app;
    }
}
