using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Dialer;
using RetentionAnalytics.Core.Imports;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Telephony;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Tests.Workbench;

namespace RetentionAnalytics.Tests.Dialer;

/// <summary>
/// The workbench world (real DuckDB file) with agent accounts, numbers on the subscribers and the dialer services over
/// it (the agents' outcomes also link inbound calls, as in the portal). The province clock is UTC at 10:00; Ningbo (574) keeps Los Angeles time (02:00 there: outside the calling hours).
/// </summary>
public sealed class DialerWorld : IDisposable
{
    public WorkbenchWorld W { get; }
    public AgentWorkbench Agents { get; }
    public OutboundDialer Dialer { get; }
    public DialerDesk Desk { get; }
    public DialerResultsImport Import { get; }

    /// <summary>The agents' journal of a node of several; null with one process.</summary>
    public AgentJournal? Journal { get; }

    public static readonly Actor SupervisorHz = WorkbenchWorld.Supervisor();
    public static readonly Actor SupervisorProvince = new("supervisor.all", RegionScope.WholeProvince, IsSupervisor: true);
    public static readonly Actor SupervisorNb = new("supervisor.nb", RegionScope.ForCities(["574"]), IsSupervisor: true);

    /// <param name="ops">Where the operational data lives (accounts, blacklist); null: in the warehouse file.</param>
    /// <param name="journalOf">The agents' journal of a node of several (null: one process).</param>
    public DialerWorld(OpsOptions? ops = null, Func<Db, AgentJournal>? journalOf = null)
    {
        W = new(zones: new RegionTimeOptions { TimeZone = "UTC", CityTimeZones = { ["574"] = "America/Los_Angeles" } }, ops: ops);
        OpsExec("""
            insert into ops.app_user (username, display_name, source, roles, scope_province, scope_cities, created_at, updated_at) values
                ('agent.hz1', 'Agent 1', 'local', 'agent', false, '571', now(), now()),
                ('agent.hz2', 'Agent 2', 'local', 'agent', false, '571', now(), now()),
                ('agent.hz3', 'Agent 3', 'local', 'agent', false, '571', now(), now()),
                ('agent.nb1', 'Agent NB', 'local', 'agent', false, '574', now(), now()),
                ('agent.all', 'Agent province', 'local', 'agent', true, null, now(), now()),
                ('analyst', 'Analyst', 'local', 'analyst', true, null, now(), now());
            """);
        var audit = new AuditLog(W.W.Db);
        Journal = journalOf?.Invoke(W.W.Db);
        Agents = new AgentWorkbench(W.W.Db, W.Access, W.Options, W.Region, [new DialerAttemptStep(W.W.Db, W.Region), new InboundCallStep(W.W.Db)],
            Journal);
        Dialer = new OutboundDialer(W.W.Db, audit, W.Region, W.Options, new SmsOptions(), new DialerOptions(), Agents);
        Desk = new DialerDesk(W.W.Db, audit, W.Access, W.Region, W.Options, Dialer);
        Import = new DialerResultsImport(W.W.Db, audit, W.Region, Desk, Dialer);
    }

    /// <summary>
    /// Gives every subscriber without one a number (138 + the digits of the id) and the active status; after the last
    /// <see cref="WorkbenchWorld.Tasks"/> call (it inserts subscribers without these columns).
    /// </summary>
    public void Numbers() => W.Exec("""
        alter table dw.dim_subscriber add column if not exists msisdn varchar;
        alter table dw.dim_subscriber add column if not exists status varchar;
        update dw.dim_subscriber set msisdn = '138' || lpad(regexp_replace(subscriber_id, '[^0-9]', '', 'g'), 8, '0'), status = 'active'
        where msisdn is null
        """);

    /// <summary>A statement on the operational data (the warehouse file, or PostgreSQL).</summary>
    public void OpsExec(string sql, object? args = null)
    {
        using var c = W.W.Db.Ops.Connect();
        Dapper.SqlMapper.Execute(c, W.W.Db.Ops.Text(sql), args);
    }

    public IReadOnlyList<DialerRecord> Drain(long campaign, params string[] agents)
    {
        var all = new List<DialerRecord>();
        for (var round = 0; round < 1000; round++)
        {
            var batch = Dialer.Next("switch", campaign, agents).Records;
            if (batch.Count == 0)
            {
                return all;
            }
            all.AddRange(batch);
        }
        throw new InvalidOperationException("the dialer kept serving records");
    }

    public void Dispose() => W.Dispose();
}
