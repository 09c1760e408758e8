using RetentionAnalytics.Portal.Features.Workbench;

namespace RetentionAnalytics.Portal.Features.MyTasks;

public static class MyTasksSetup
{
    public static WebApplicationBuilder AddMyTasks(this WebApplicationBuilder builder) => builder;

    /// <summary>
    /// <c>/api/my-tasks</c>: the signed-in agent's queue, task opening and outcomes as JSON, over the services the
    /// /my-tasks pages use (<see cref="AgentApi"/>).
    /// </summary>
    public static WebApplication MapMyTasks(this WebApplication app)
    {
        app.MapAgentApi();
        return app;
    }
}
