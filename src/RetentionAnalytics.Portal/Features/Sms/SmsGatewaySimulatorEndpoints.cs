using System.Security.Cryptography;
using System.Text;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Sms;

/// <summary>
/// The local gateway simulator's HTTP face (the protocol of <see cref="HttpSmsGateway"/>), for the demo and the tests:
/// <c>POST /sms-gateway/messages</c> and <c>POST /sms-gateway/receipts</c> with the gateway's Basic credentials (the
/// portal gives its own simulator random ones), and for signed-in administrators <c>POST /sms-gateway/control</c>
/// (inject failures) and <c>GET /sms-gateway/stats</c> (requests, distinct keys received). The portal maps it only
/// in demo mode.
/// </summary>
public static class SmsGatewaySimulatorEndpoints
{
    public sealed record MessageBody(string? To, string? Text);
    public sealed record ReceiptQuery(List<string>? MessageIds);
    public sealed record ControlBody(int? FailNextRequests, int? FailNextDeliveries);

    public static IEndpointRouteBuilder MapSmsGatewaySimulator(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sms-gateway");
        group.MapPost("/messages", (MessageBody body, HttpRequest request, SmsGatewaySimulator simulator, SmsOptions options) =>
        {
            if (!CredentialsOk(request, options))
            {
                return Results.Unauthorized();
            }
            var key = request.Headers["Idempotency-Key"].ToString();
            if (key.Length == 0 || string.IsNullOrWhiteSpace(body.To) || string.IsNullOrEmpty(body.Text))
            {
                return Results.BadRequest();
            }
            return simulator.Accept(key) is { } id
                ? Results.Ok(new { messageId = id })
                : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().AsMachineCallback();
        group.MapPost("/receipts", (ReceiptQuery query, HttpRequest request, SmsGatewaySimulator simulator, SmsOptions options) =>
            CredentialsOk(request, options)
                ? Results.Ok(new { receipts = simulator.Receipts(query.MessageIds ?? []) })
                : Results.Unauthorized())
            .AllowAnonymous().AsMachineCallback();
        group.MapPost("/control", (ControlBody body, SmsGatewaySimulator simulator) =>
        {
            if (body.FailNextRequests is { } requests)
            {
                simulator.FailNextRequests(requests);
            }
            if (body.FailNextDeliveries is { } deliveries)
            {
                simulator.FailNextDeliveries(deliveries);
            }
            return Results.Ok(simulator.Current());
        }).RequireAuthorization(PortalPolicies.Administration);
        group.MapGet("/stats", (SmsGatewaySimulator simulator) => Results.Ok(simulator.Current()))
            .RequireAuthorization(PortalPolicies.Administration);
        return app;
    }

    private static bool CredentialsOk(HttpRequest request, SmsOptions options)
    {
        if (options.Gateway.Username.Length == 0)
        {
            return true;
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Gateway.Username}:{options.Gateway.Password}"));
        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString()), Encoding.UTF8.GetBytes(expected));
    }
}
