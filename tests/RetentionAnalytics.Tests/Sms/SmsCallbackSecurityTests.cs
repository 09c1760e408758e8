using System.Net;
using System.Net.Http.Json;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>
/// Issue 13 item 1: the inbound endpoint told anyone holding the published demo token whether a number is a customer
/// (<c>{"matched":true|false}</c>). Real HTTP on loopback, the real callbacks, a real warehouse file.
/// </summary>
public class SmsCallbackSecurityTests : IAsyncLifetime
{
    private readonly SmsWorld _w;

    public SmsCallbackSecurityTests() : this(null)
    {
    }

    protected SmsCallbackSecurityTests(OpsOptions? ops) => _w = new SmsWorld(ops: ops);

    public Task InitializeAsync() => _w.InitializeAsync();
    public Task DisposeAsync() => _w.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> Inbound(string from, string text, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_w.BaseAddress, "sms/inbound"))
        {
            Content = JsonContent.Create(new { from, text, messageId = Guid.NewGuid().ToString("N") }),
        };
        if (token is not null)
        {
            request.Headers.Add("X-Gateway-Token", token);
        }
        using var response = await _w.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task An_inbound_reply_gets_the_same_answer_whether_or_not_the_number_is_a_customers()
    {
        _w.Subscriber("S0001", msisdn: "13800000001");

        var customer = await Inbound("13800000001", "hello", "test-token");
        var stranger = await Inbound("13999999999", "hello", "test-token");
        var customerStop = await Inbound("13800000001", "STOP", "test-token");
        var strangerStop = await Inbound("13999999998", "STOP", "test-token");

        Assert.Equal(HttpStatusCode.Accepted, customer.Status);
        Assert.Equal([customer, customer, customer], new[] { stranger, customerStop, strangerStop });
        Assert.Equal("", customer.Body);
        // the opt-out itself still works for the customer
        Assert.Equal(1, _w.W.OpsScalar<long>("select count(*) from ops.blacklist where subscriber_id = 'S0001'"));
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("demo-gateway-token")]
    [InlineData("test-tokeN")]
    public async Task Without_the_configured_token_nothing_is_read_or_blacklisted(string? token)
    {
        _w.Subscriber("S0001", msisdn: "13800000001");

        var refused = await Inbound("13800000001", "STOP", token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(0, _w.W.OpsScalar<long>("select count(*) from ops.blacklist"));
    }

    [SkippableFact]
    public async Task With_no_token_configured_the_callbacks_refuse_everyone()
    {
        _w.Options.Gateway.CallbackToken = "";

        Assert.Equal(HttpStatusCode.Unauthorized, (await Inbound("13800000001", "STOP", "")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Inbound("13800000001", "STOP", "anything")).Status);
    }
}

/// <summary>The same with the operational data in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SmsCallbackSecurityTestsOnPostgres(PostgresServer postgres) : SmsCallbackSecurityTests(postgres.NewOps());
