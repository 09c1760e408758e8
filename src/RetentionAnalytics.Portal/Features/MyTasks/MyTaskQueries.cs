using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.MyTasks;

/// <summary>A task on an agent's list (identifiers only: the customer's details are on the customer page).</summary>
public sealed class MyTask
{
    public long TaskId { get; init; }
    public string SubscriberId { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string? ValueTier { get; init; }
    public double PriorityScore { get; init; }
    public string ScenarioIds { get; init; } = "";
    public string Status { get; init; } = "";
    public DateOnly? DueDate { get; init; }
    public int Attempts { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>An agent's own tasks, most urgent first; assigned to them and within their scope.</summary>
public sealed class MyTaskQueries(Db db)
{
    public IReadOnlyList<MyTask> For(string? username, RegionScope scope)
    {
        if (username is null || scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        var args = scope.AddTo(new DynamicParameters());
        args.Add("username", username);
        return c.Query<MyTask>(db.Sql.Get("overview/my_tasks.sql"), args).ToList();
    }
}

public static class MyTasksSetup
{
    public static WebApplicationBuilder AddMyTasks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MyTaskQueries>();
        return builder;
    }

    /// <summary><c>GET /api/my-tasks</c>: the signed-in agent's tasks as JSON.</summary>
    public static WebApplication MapMyTasks(this WebApplication app)
    {
        app.MapGet("/api/my-tasks", (MyTaskQueries queries, ICurrentUser user) => Results.Ok(queries.For(user.Username, user.Scope)))
            .RequireAuthorization(PortalPolicies.MyTasks);
        return app;
    }
}
