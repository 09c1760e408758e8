using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using RetentionAnalytics.Core.Dialer;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Portal.Features.Telephony;

namespace RetentionAnalytics.Portal.Features.Dialer;

/// <summary>
/// The demo's dialer (demo mode only, <c>Dialer:Simulator:Enabled</c>), beside the SMS gateway and CTI simulators: every
/// <c>IntervalSeconds</c> it works each campaign handed to the dialer in progressive mode through the portal's real HTTP API with the key
/// of the <c>simulator</c> integration (made at start, known to this process only): it asks for records for up to
/// <c>AgentsPerRound</c> of the campaign's agents (its free agents) and reports a random
/// disposition for each (answered with a result, no answer, busy, voicemail, wrong number). Logs counts only.
/// </summary>
public sealed class DialerSimulator(
    IServer server, IHttpClientFactory http, TelephonyOptions keys, DialerDesk desk, DialerOptions options, ILogger<DialerSimulator> log)
    : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Batch(string Mode, List<DialerRecord> Records);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Simulator.IntervalSeconds)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var campaign in desk.ProgressiveCampaigns())
                {
                    await WorkAsync(campaign, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("Dialer simulator round failed with {ExceptionType}", ex.GetType().FullName);
            }
        }
    }

    private async Task WorkAsync(long campaignId, CancellationToken cancel)
    {
        var agents = desk.AgentsOf(campaignId).OrderBy(_ => Random.Shared.Next()).Take(Math.Max(1, options.Simulator.AgentsPerRound)).ToList();
        if (agents.Count == 0)
        {
            return;
        }
        using var client = http.CreateClient();
        client.BaseAddress = new Uri(DialerSetup.OwnAddress(server));
        client.DefaultRequestHeaders.Add(TelephonySetup.KeyHeader, keys.Integrations[TelephonyOptions.Simulator]);
        var records = new List<DialerRecord>();
        using (var response = await client.PostAsJsonAsync($"api/dialer/campaigns/{campaignId}/next", new { agents }, Json, cancel))
        {
            if (response.IsSuccessStatusCode)
            {
                records.AddRange((await response.Content.ReadFromJsonAsync<Batch>(Json, cancel))?.Records ?? []);
            }
        }
        var reported = 0;
        foreach (var record in records)
        {
            using var response = await client.PostAsJsonAsync($"api/dialer/campaigns/{campaignId}/leases/{record.LeaseId}/disposition", Disposition(record), Json, cancel);
            reported += response.IsSuccessStatusCode ? 1 : 0;
        }
        log.LogInformation("Dialer simulator: campaign {CampaignId}, {Served} records served, {Reported} reported", campaignId, records.Count, reported);
    }

    private static object Disposition(DialerRecord record)
    {
        var roll = Random.Shared.NextDouble();
        var disposition = roll switch
        {
            < 0.40 => "answered",
            < 0.65 => "no_answer",
            < 0.78 => "busy",
            < 0.92 => "voicemail",
            _ => "wrong_number",
        };
        var result = disposition == "answered" ? TaskVocabulary.Results[Random.Shared.Next(TaskVocabulary.Results.Length)] : null;
        return new { disposition, agent = record.Agent, result, callId = $"sim-{Guid.NewGuid():N}" };
    }
}
