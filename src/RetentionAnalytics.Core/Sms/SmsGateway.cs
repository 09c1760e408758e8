using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace RetentionAnalytics.Core.Sms;

/// <summary>What the gateway said to one message.</summary>
/// <param name="GatewayMessageId">Set when accepted (also for a key the gateway had accepted before).</param>
/// <param name="Retryable">For a refusal: worth trying again later (timeouts, 5xx, 429) or final (4xx).</param>
/// <param name="Error">For a refusal: a status code or error kind, never message content.</param>
public sealed record GatewaySendResult(string? GatewayMessageId, bool Retryable, string? Error)
{
    public bool Accepted => GatewayMessageId is not null;
}

/// <summary>A delivery receipt: <c>delivered</c>, <c>failed</c> or still <c>pending</c>.</summary>
public sealed record GatewayReceipt(string MessageId, string Status);

/// <summary>The SMS gateway as the dispatcher uses it.</summary>
public interface ISmsGateway
{
    /// <summary>Hands over one message; the gateway accepts an idempotency key once and answers a repeat with the same id.</summary>
    Task<GatewaySendResult> SendAsync(string idempotencyKey, string to, string text, CancellationToken cancellationToken);

    /// <summary>Receipts of accepted messages (polling; gateways that push use the receipt endpoint instead).</summary>
    Task<IReadOnlyList<GatewayReceipt>> ReceiptsAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken);
}

/// <summary>
/// The HTTP protocol (the simulator speaks it too): <c>POST messages</c> with header <c>Idempotency-Key</c> and body
/// <c>{"to","text"}</c> → <c>{"messageId"}</c>; <c>POST receipts</c> with <c>{"messageIds":[...]}</c> →
/// <c>{"receipts":[{"messageId","status"}]}</c>. Basic authentication with <c>Sms:Gateway:Username/Password</c>.
/// </summary>
public sealed class HttpSmsGateway(HttpClient http, SmsOptions options) : ISmsGateway
{
    private sealed record SendBody(string To, string Text);
    private sealed record SendAnswer(string MessageId);
    private sealed record ReceiptQuery(IReadOnlyList<string> MessageIds);
    private sealed record ReceiptAnswer(List<GatewayReceipt> Receipts);

    public async Task<GatewaySendResult> SendAsync(string idempotencyKey, string to, string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("messages"))
        {
            Content = JsonContent.Create(new SendBody(to, text)),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        Authenticate(request);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadFromJsonAsync<SendAnswer>(cancellationToken);
                return answer?.MessageId is { Length: > 0 } id
                    ? new GatewaySendResult(id, false, null)
                    : new GatewaySendResult(null, true, "no message id");
            }
            var code = (int)response.StatusCode;
            var retryable = code >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            return new GatewaySendResult(null, retryable, "http " + code);
        }
        catch (HttpRequestException ex)
        {
            return new GatewaySendResult(null, true, "network " + (ex.HttpRequestError.ToString()));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new GatewaySendResult(null, true, "timeout");
        }
    }

    public async Task<IReadOnlyList<GatewayReceipt>> ReceiptsAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return [];
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("receipts"))
        {
            Content = JsonContent.Create(new ReceiptQuery(messageIds)),
        };
        Authenticate(request);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }
            var answer = await response.Content.ReadFromJsonAsync<ReceiptAnswer>(cancellationToken);
            return answer?.Receipts ?? [];
        }
        catch (HttpRequestException)
        {
            // receipts are asked for again on the next run
            return [];
        }
    }

    private Uri Url(string path) => new(new Uri(options.Gateway.BaseUrl.TrimEnd('/') + "/"), path);

    private void Authenticate(HttpRequestMessage request)
    {
        if (options.Gateway.Username.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Gateway.Username}:{options.Gateway.Password}")));
        }
    }
}
