using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.CallLists;

/// <summary>Tasks counted by one dimension (status, team, agent, scenario, city, campaign).</summary>
public sealed class TaskCount
{
    public string Dimension { get; init; } = "";
    public string Value { get; init; } = "";
    public long Tasks { get; init; }
    public long OpenTasks { get; init; }
}

/// <summary>The supervisor's call-list overview: ops.task and ops.campaign counted within the user's scope.</summary>
public sealed class CallListQueries(Db db)
{
    public static readonly string[] Dimensions = ["status", "team", "agent", "scenario", "city", "campaign"];

    public IReadOnlyList<TaskCount> Summary(RegionScope scope)
    {
        if (scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        return c.Query<TaskCount>(db.Sql.Get("overview/call_list_summary.sql"), scope.AddTo(new DynamicParameters())).ToList();
    }
}

public static class CallListsSetup
{
    public static WebApplicationBuilder AddCallLists(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CallListQueries>();
        return builder;
    }

    /// <summary><c>GET /api/call-lists/summary</c>: the overview's counts as JSON, scoped like the page.</summary>
    public static WebApplication MapCallLists(this WebApplication app)
    {
        app.MapGet("/api/call-lists/summary", (CallListQueries queries, ICurrentUser user) => Results.Ok(queries.Summary(user.Scope)))
            .RequireAuthorization(PortalPolicies.CallLists);
        return app;
    }
}
