using Quartz;
using RetentionAnalytics.Core.Delivery;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Delivery;

public sealed record SubscribeRequest(
    string ReportId, Dictionary<string, string>? Parameters, ScheduleKind Kind, string Time, int Day, ExportFileType FileType, bool SkipIfEmpty);

public static class DeliverySetup
{
    /// <summary>SMTP from <c>Delivery:Smtp</c> (inbox only without a host) and the delivery job every minute.</summary>
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        var smtp = new SmtpOptions();
        builder.Configuration.GetSection("Delivery:Smtp").Bind(smtp);
        builder.Services.AddSingleton(smtp);
        builder.Services.AddSingleton<IDeliveryMailer, SmtpDeliveryMailer>();
        builder.Services.AddQuartz(q =>
        {
            q.AddJob<DeliveryJob>(j => j.WithIdentity(DeliveryJob.Key));
            q.AddTrigger(t => t
                .ForJob(DeliveryJob.Key)
                .WithIdentity("scheduled-delivery-trigger")
                .StartAt(DateTimeOffset.Now.AddSeconds(30))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        return builder;
    }

    /// <summary>
    /// The inbox and subscriptions of the signed-in user (report roles): list, subscribe, pause, resume, delete, and
    /// the download of an inbox item, for its owner only (checked and audited by <see cref="DeliveryService"/>).
    /// </summary>
    public static WebApplication MapDelivery(this WebApplication app)
    {
        var inbox = app.MapGroup("/inbox").RequireAuthorization(PortalPolicies.Reports);
        inbox.MapGet("/items/{itemId:long}/download", (long itemId, DeliveryService delivery, ICurrentUser user) =>
        {
            try
            {
                var file = delivery.Download(user.Username!, itemId, user.ClientIp);
                return Results.File(file.Content, file.ContentType, file.FileName);
            }
            catch (UnauthorizedAccessException)
            {
                return Results.Forbid();
            }
            catch (KeyNotFoundException)
            {
                return Results.NotFound();
            }
        });

        var api = app.MapGroup("/api/inbox").RequireAuthorization(PortalPolicies.Reports);
        api.MapGet("/", (DeliveryService delivery, ICurrentUser user) =>
            Results.Ok(new { items = delivery.Inbox(user.Username!), runs = delivery.Runs(user.Username!) }));
        api.MapGet("/subscriptions", (DeliveryService delivery, ICurrentUser user) => Results.Ok(delivery.Subscriptions(user.Username!)));
        api.MapPost("/subscriptions", (SubscribeRequest request, DeliveryService delivery, ICurrentUser user) =>
        {
            try
            {
                var schedule = new DeliverySchedule(request.Kind, TimeOnly.ParseExact(request.Time, "HH:mm"), request.Day);
                var id = delivery.Subscribe(user.Username!, request.ReportId, request.Parameters ?? [], schedule,
                    request.FileType, request.SkipIfEmpty);
                return Results.Ok(new { subscriptionId = id });
            }
            catch (SubscriptionRefusedException ex)
            {
                return Results.BadRequest(new { error = ex.Message, reason = ex.Reason, parameter = ex.Parameter });
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        });
        api.MapPost("/subscriptions/{id:long}/pause", (long id, DeliveryService delivery, ICurrentUser user) =>
            delivery.SetPaused(user.Username!, id, true) ? Results.NoContent() : Results.NotFound());
        api.MapPost("/subscriptions/{id:long}/resume", (long id, DeliveryService delivery, ICurrentUser user) =>
            delivery.SetPaused(user.Username!, id, false) ? Results.NoContent() : Results.NotFound());
        api.MapDelete("/subscriptions/{id:long}", (long id, DeliveryService delivery, ICurrentUser user) =>
            delivery.Delete(user.Username!, id) ? Results.NoContent() : Results.NotFound());
        return app;
    }
}
