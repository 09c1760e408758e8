using RetentionAnalytics.Core.Tasks;

namespace RetentionAnalytics.Core.Sms;

/// <summary>The <c>Sms</c> configuration section: approval, compliance and dispatch rules, and the gateway.</summary>
public sealed class SmsOptions
{
    /// <summary>A send to more recipients than this needs a second approval by another supervisor or an administrator.</summary>
    public int ApprovalThreshold { get; set; } = 500;

    /// <summary>
    /// Quiet hours in the recipient's local time (the zone of their city, <c>Region</c> section): nothing is sent from
    /// <see cref="QuietStart"/> until <see cref="QuietEnd"/>; due messages wait.
    /// </summary>
    public TimeOnly QuietStart { get; set; } = new(21, 0);
    public TimeOnly QuietEnd { get; set; } = new(9, 0);

    /// <summary>
    /// Contact pressure, the call lists' rule (docs/call-lists.md): a subscriber with <see cref="MaxContacts"/> or more
    /// contacts (calls or SMS, ops.contact) in the last <see cref="ContactWindowDays"/> days is not contacted again.
    /// The defaults are the call lists' (one contact per 14 days).
    /// </summary>
    public int ContactWindowDays { get; set; } = new CallListOptions().ContactWindowDays;
    public int MaxContacts { get; set; } = 1;

    /// <summary>Gateway attempts per message; between them the wait doubles from <see cref="RetryBaseSeconds"/>.</summary>
    public int MaxAttempts { get; set; } = 5;
    public int RetryBaseSeconds { get; set; } = 30;

    /// <summary>A message left in <c>sending</c> this long (the process stopped mid-call) is sent again under its key.</summary>
    public int StaleSendingMinutes { get; set; } = 5;

    /// <summary>Messages per dispatch run.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Messages handed to the gateway at the same time.</summary>
    public int GatewayParallelism { get; set; } = 8;

    /// <summary>Seconds between dispatch runs of the Quartz job.</summary>
    public int DispatchSeconds { get; set; } = 30;

    public SmsGatewayOptions Gateway { get; set; } = new();
}

public sealed class SmsGatewayOptions
{
    /// <summary>The gateway's base address; the simulator's is <c>{portal}/sms-gateway/</c>.</summary>
    public string BaseUrl { get; set; } = "";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Maps the local gateway simulator into the portal (demo and tests).</summary>
    public bool Simulator { get; set; }

    /// <summary>The token the gateway sends with receipts and inbound messages (header X-Gateway-Token).</summary>
    public string CallbackToken { get; set; } = "";

    public int TimeoutSeconds { get; set; } = 10;
}
