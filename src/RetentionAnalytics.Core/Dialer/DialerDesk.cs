using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Dialer;

/// <summary>A record of a campaign's dialer list as exported (<see cref="DialerDesk.List"/>); times on the customer's clock.</summary>
public sealed record DialerListRow(
    long TaskId, string SubscriberId, string Number, string? CustomerName, string CityCode, string TimeZone, string CallingFrom,
    string CallingUntil, string? Agent, DateTime? CallbackAt, int Attempts, int MaxAttempts);

/// <summary>
/// The supervisor's side of the dialer: hand a campaign to the dialer for the cities of their regions (preview or
/// progressive), stop it, see its progress, and the campaign's dialer list (what the dialer would be served, for a
/// dialer that works from a file). A campaign without tasks in the supervisor's regions is refused like an unknown one
/// and audited as <c>task_denied</c> (<c>campaign:&lt;id&gt;</c>).
/// </summary>
public sealed class DialerDesk(Db db, AuditLog audit, TaskAccess access, RegionClock clock, WorkbenchOptions workbench, OutboundDialer dialer)
{
    public const string HandoverAction = "dialer_handover";

    /// <summary>The cities of the campaign the supervisor may hand over; refuses (404) a campaign of other regions.</summary>
    public IReadOnlyList<string> CitiesOf(Actor supervisor, long campaignId, string what)
    {
        if (supervisor.IsSupervisor && !supervisor.Scope.IsEmpty)
        {
            using var c = db.Connect();
            var cities = c.Query<string>(db.Sql.Get("dialer/campaign_in_scope.sql"),
                supervisor.Scope.AddTo(new DynamicParameters(new { campaign_id = campaignId }))).ToList();
            if (cities.Count > 0)
            {
                return cities;
            }
        }
        access.Deny(supervisor, $"campaign:{campaignId}", what);
        throw new DialerException(404, "unknown_campaign", "No such campaign in your regions.");
    }

    /// <summary>Hands the campaign's cities of the supervisor's regions to the dialer in the given mode (again: the new mode).</summary>
    public DialerProgress Handover(Actor supervisor, long campaignId, string? mode)
    {
        mode = (mode ?? "").Trim().ToLowerInvariant();
        if (!DialerVocabulary.Modes.Contains(mode))
        {
            throw new DialerException(400, "invalid_mode", "mode must be preview or progressive");
        }
        var cities = string.Join(',', CitiesOf(supervisor, campaignId, "dialer_handover"));
        var now = clock.Now;
        List<JournaledHandover> handed;
        using (var c = db.Connect())
        using (var tx = c.BeginTransaction())
        {
            var args = new { campaign_id = campaignId, cities, mode, username = supervisor.Username, now };
            c.Execute(db.Sql.Get("dialer/handover_delete.sql"), args, tx);
            handed = c.Query<JournaledHandover>(db.Sql.Get("dialer/handover_insert.sql"), args, tx).ToList();
            tx.Commit();
        }
        dialer.Journal?.Handed(supervisor, handed, now);
        audit.Write(supervisor.Username, HandoverAction, $"campaign:{campaignId}", detail: $"mode={mode};cities={cities}", clientIp: supervisor.ClientIp);
        return Progress(supervisor).First(p => p.CampaignId == campaignId);
    }

    /// <summary>Stops the dialer for the campaign's cities of the supervisor's regions; records already served may still report.</summary>
    public void Stop(Actor supervisor, long campaignId)
    {
        var cities = string.Join(',', CitiesOf(supervisor, campaignId, "dialer_stop"));
        var now = clock.Now;
        List<JournaledHandover> stopped;
        using (var c = db.Connect())
        {
            stopped = c.Query<JournaledHandover>(db.Sql.Get("dialer/handover_stop.sql"), new { campaign_id = campaignId, cities, username = supervisor.Username, now }).ToList();
        }
        dialer.Journal?.Handed(supervisor, stopped, now);
        audit.Write(supervisor.Username, HandoverAction, $"campaign:{campaignId}", detail: $"stopped;cities={cities}", clientIp: supervisor.ClientIp);
    }

    /// <summary>Every campaign handed to the dialer in the supervisor's regions, counted over those regions.</summary>
    public IReadOnlyList<DialerProgress> Progress(Actor supervisor)
    {
        if (!supervisor.IsSupervisor || supervisor.Scope.IsEmpty)
        {
            return [];
        }
        var args = supervisor.Scope.AddTo(new DynamicParameters());
        args.Add("now", clock.Now);
        args.Add("max_attempts", workbench.MaxAttempts);
        args.Add("lang", supervisor.Language);
        using var c = db.Connect();
        return c.Query<DialerProgress>(db.Sql.Get("dialer/progress.sql"), args).ToList();
    }

    /// <summary>
    /// The campaign's dialer list for the supervisor's cities: every record the dialer may dial today under the same rules
    /// as <see cref="OutboundDialer.Next"/> (attempts, blacklist and opt-outs, contact pressure, due callbacks first,
    /// no control group), with the calling hours on each customer's clock instead of the check against now. Not leased.
    /// </summary>
    public IReadOnlyList<DialerListRow> List(Actor supervisor, long campaignId)
    {
        var cities = CitiesOf(supervisor, campaignId, "dialer_export");
        var from = workbench.CallingFrom.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var until = workbench.CallingUntil.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        using var c = db.Connect();
        return dialer.Candidates(c, campaignId, cities, clock.Now, limit: 1_000_000)
            .Select(t => new DialerListRow(t.TaskId, t.SubscriberId, t.Msisdn, t.CustomerName, t.CityCode, clock.ZoneOf(t.CityCode).Id,
                from, until, t.Status == "open" ? null : t.AssignedTo, t.CallbackAt is { } at ? clock.ToLocal(at, t.CityCode) : null,
                t.Attempts, workbench.MaxAttempts))
            .ToList();
    }

    /// <summary>
    /// What the dialer could serve from the campaign now, under the rules of <see cref="OutboundDialer.Next"/>: so a
    /// supervisor sees why a campaign with records left is not dialled (assigned to agents who are not free, callbacks
    /// not due, the contact limit, the blacklist, the calling hours).
    /// </summary>
    public DialerReadiness Readiness(Actor supervisor, long campaignId)
    {
        var mine = CitiesOf(supervisor, campaignId, "dialer_progress");
        using var c = db.Connect();
        // the supervisor's cities the campaign is handed over in, inside their calling hours
        var open = c.Query<(string CityCode, string Mode)>(db.Sql.Get("dialer/handover_cities.sql"), new { campaign_id = campaignId })
            .Select(h => h.CityCode)
            .Where(city => mine.Contains(city) && workbench.IsCallingTime(clock.LocalNow(city)))
            .ToList();
        if (open.Count == 0)
        {
            return new DialerReadiness(campaignId, false, 0, 0);
        }
        var (any, theirs) = dialer.CountCandidates(c, campaignId, open, clock.Now);
        return new DialerReadiness(campaignId, true, any, theirs);
    }

    /// <summary>The agents of the campaign's handed cities (the demo simulator's logged-in agents).</summary>
    public IReadOnlyList<string> AgentsOf(long campaignId)
    {
        using var c = db.Connect();
        return c.Query<string>(db.Sql.Get("dialer/campaign_agents.sql"), new { campaign_id = campaignId }).ToList();
    }

    /// <summary>The campaigns handed to the dialer in progressive mode and active in some city, for the demo simulator.</summary>
    public IReadOnlyList<long> ProgressiveCampaigns()
    {
        using var c = db.Connect();
        return c.Query<long>(db.Sql.Get("dialer/active_campaigns.sql")).ToList();
    }
}
