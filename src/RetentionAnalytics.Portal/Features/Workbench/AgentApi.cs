using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Portal.Features.Customers;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Workbench;

/// <summary>
/// The agent's queue, task opening and outcome as JSON, over the same services the pages use (so a soft phone, a
/// script or <c>ra benchmark agents --portal</c> does exactly what the page does). Cookie sign-in; every POST carries the
/// session's antiforgery token. A task that is not the caller's answers 404 like an unknown one (audited as denied);
/// a task someone else changed 409; a rule that refuses (calling hours, attempts, input) 422 with its code.
/// </summary>
public static class AgentApi
{
    /// <summary>An outcome as the page's form sends it; <c>callbackAt</c> in the customer's local time.</summary>
    public sealed record OutcomeBody(
        string? Outcome, string? Result = null, string? ChurnReasonId = null, string? OfferId = null, string? Notes = null,
        DateTime? CallbackAt = null, int? Version = null);

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/my-tasks");
        // GET /api/my-tasks?status=&campaign=&subscriber=&limit=: the agent's queue, as on /my-tasks
        tasks.MapGet("", (string? status, long? campaign, string? subscriber, int? limit, AgentWorkbench workbench, ICurrentUser user) =>
                Results.Ok(workbench.Queue(user.ToActor(), new QueueFilter(subscriber, status, campaign, Math.Clamp(limit ?? 50, 1, 500)))))
            .RequireAuthorization(PortalPolicies.MyTasks);
        // GET /api/my-tasks/{id}/head: status and version, one read by key
        tasks.MapGet("/{taskId:long}/head", (long taskId, AgentWorkbench workbench, ICurrentUser user) =>
                Run(() => workbench.Head(user.ToActor(), taskId)))
            .RequireAuthorization(PortalPolicies.TaskPage);
        // POST /api/my-tasks/{id}/open: claim (the agent's own task), then the task, the customer's 360, reasons and contacts
        tasks.MapPost("/{taskId:long}/open", (long taskId, TaskOpening opening, ICurrentUser user) =>
                Run(() => opening.Open(user.ToActor(), user.ToCustomerViewer(), taskId, claim: user.IsInRole(PortalRoles.Agent))))
            .RequireAuthorization(PortalPolicies.TaskPage);
        // POST /api/my-tasks/{id}/outcome: the call's outcome (a callback is an outcome with callbackAt), as the page saves it
        tasks.MapPost("/{taskId:long}/outcome", (long taskId, OutcomeBody body, AgentWorkbench workbench, ICurrentUser user) =>
                Run(() => workbench.Record(user.ToActor(), new OutcomeInput(taskId, body.Outcome ?? "", body.Result, body.ChurnReasonId,
                    body.OfferId, body.Notes, body.CallbackAt, body.Version))))
            .RequireAuthorization(PortalPolicies.MyTasks);
        return app;
    }

    private static IResult Run<T>(Func<T> work)
    {
        try
        {
            return Results.Ok(work());
        }
        catch (WorkbenchException ex)
        {
            return ex.Failure switch
            {
                WorkbenchFailure.Denied => Results.NotFound(),
                WorkbenchFailure.Conflict => Results.Conflict(new { error = ex.Code }),
                _ => Results.UnprocessableEntity(new { error = ex.Code }),
            };
        }
    }
}
