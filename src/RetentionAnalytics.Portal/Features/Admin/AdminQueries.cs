using Dapper;
using Quartz;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Accounts;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Exports;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Portal.Features.Warehouse;

namespace RetentionAnalytics.Portal.Features.Admin;

public sealed class TeamRow
{
    public string TeamId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "retention";
    public string? CityCode { get; set; }
    public string? ValueTiers { get; set; }
    public bool Active { get; set; } = true;
    public long Agents { get; init; }
    public long Capacity { get; init; }
}

public sealed class AgentRow
{
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string TeamId { get; init; } = "";
    public int Capacity { get; init; }
    public string? AccountManagerId { get; init; }
    public bool Active { get; init; }
}

public sealed class RegionRow
{
    public string RegionCode { get; init; } = "";
    public string RegionLevel { get; init; } = "";
    public string? RegionName { get; init; }
    public string? RegionNameZh { get; init; }
    public string? CityCode { get; init; }
    public long Subscribers { get; init; }
}

public sealed class CityChoice
{
    public string CityCode { get; init; } = "";
    public string? RegionName { get; init; }
    public string? RegionNameZh { get; init; }
}

/// <summary>A Quartz trigger as the schedules page shows it: a cron expression, or a repeat interval in seconds.</summary>
public sealed record ScheduleRow(string Job, string Trigger, string? Cron, double? IntervalSeconds, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire, string State);

/// <summary>
/// Reads and writes of system management (teams, agents, regions, schedules, audit). Users are written by the
/// <see cref="AccountStore"/>; team changes are audited here. SQL in sql/admin.
/// </summary>
public sealed class AdminQueries(Db db, WarehouseCatalog catalog, AuditLog audit, ISchedulerFactory schedulers, TeamRecords teams)
{
    public static readonly string[] TeamKinds = ["retention", "account_managers", "callback"];

    /// <summary>The longest team name the lists show (the teams page's field stops there).</summary>
    public const int MaxTeamName = 100;
    private static readonly Lock TeamLock = new();

    public IReadOnlyList<TeamRow> Teams()
    {
        using var c = db.Connect();
        return c.Query<TeamRow>(db.Sql.Get("admin/teams_list.sql")).ToList();
    }

    public IReadOnlyList<AgentRow> Agents()
    {
        using var c = db.Connect();
        return c.Query<AgentRow>(db.Sql.Get("admin/agents_list.sql")).ToList();
    }

    /// <summary>Creates the team or changes it; the team id is its key and stays unique.</summary>
    public void SaveTeam(string actor, TeamRow team, bool isNew, string? clientIp)
    {
        var teamId = team.TeamId.Trim();
        if (teamId.Length is 0 or > 32 || !teamId.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_')
            || !TeamKinds.Contains(team.Kind) || string.IsNullOrWhiteSpace(team.Name) || team.Name.Trim().Length > MaxTeamName)
        {
            throw new AccountException("InvalidTeam");
        }
        var args = new
        {
            team_id = teamId,
            name = team.Name.Trim(),
            kind = team.Kind,
            city_code = string.IsNullOrWhiteSpace(team.CityCode) ? null : team.CityCode.Trim(),
            value_tiers = AccountText.JoinList(AccountText.SplitList(team.ValueTiers)),
            active = team.Active,
        };
        lock (TeamLock)
        {
            using var c = db.Connect();
            var exists = c.ExecuteScalar<long>(db.Sql.Get("admin/team_exists.sql"), new { team_id = teamId }) > 0;
            if (isNew && exists)
            {
                throw new AccountException("TeamTaken");
            }
            c.Execute(db.Sql.Get(exists ? "admin/team_update.sql" : "admin/team_insert.sql"), args);
            // in the lock: two saves of one team publish in the order they were made
            teams.Publish([teamId], []);
        }
        audit.Write(actor, "team_change", teamId,
            detail: $"{(isNew ? "created" : "changed")};kind={args.kind};city={args.city_code};tiers={args.value_tiers?.Replace(',', '|')};active={args.active}",
            clientIp: clientIp);
    }

    /// <summary>Cities and districts with their active subscribers; empty before the first load.</summary>
    public IReadOnlyList<RegionRow> Regions()
    {
        if (!catalog.HasColumns("dw", "dim_region", "region_code") || !catalog.HasColumns("dw", "dim_subscriber", "is_current"))
        {
            return [];
        }
        using var c = db.Connect();
        return c.Query<RegionRow>(db.Sql.Get("admin/regions_list.sql")).ToList();
    }

    /// <summary>The cities a user's scope or a team can name.</summary>
    public IReadOnlyList<CityChoice> Cities()
    {
        using var c = db.Connect();
        var file = catalog.HasColumns("dw", "dim_region", "region_code", "region_level") ? "admin/city_codes.sql" : "admin/city_codes_from_teams.sql";
        return c.Query<CityChoice>(db.Sql.Get(file)).ToList();
    }

    public IReadOnlyList<string> AuditActions()
    {
        using var c = db.Ops.Connect();
        return c.Query<string>(db.Ops.Sql.Get("admin/audit_actions.sql")).ToList();
    }

    /// <summary>The scheduler's triggers from configuration (Etl:DailyCron, Etl:InboxPollSeconds) and their next fire times.</summary>
    public async Task<IReadOnlyList<ScheduleRow>> SchedulesAsync()
    {
        var scheduler = await schedulers.GetScheduler();
        var rows = new List<ScheduleRow>();
        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.AnyGroup()))
        {
            var trigger = await scheduler.GetTrigger(key);
            if (trigger is null)
            {
                continue;
            }
            var state = await scheduler.GetTriggerState(key);
            rows.Add(new ScheduleRow(trigger.JobKey.Name, key.Name, (trigger as ICronTrigger)?.CronExpressionString,
                (trigger as ISimpleTrigger)?.RepeatInterval.TotalSeconds, trigger.NextFireTimeUtc, trigger.PreviousFireTimeUtc, state.ToString()));
        }
        return rows.OrderBy(r => r.Job, StringComparer.Ordinal).ToList();
    }
}

public static class AdminSetup
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminQueries>();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/admin/audit?from=&amp;to=&amp;user=&amp;action=</c>: the audit log as JSON, newest first;
    /// <c>GET /api/admin/audit/export?…&amp;format=xlsx|csv</c>: the same entries as the audit page, as a file (itself audited);
    /// <c>GET /api/admin/job-runs</c>: the newest job runs.
    /// </summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        app.MapGet("/api/admin/audit", (AuditLog audit, DateOnly? from, DateOnly? to, string? user, string? action) =>
                Results.Ok(new AuditQuery(from, to, user, action).Run(audit)))
            .RequireAuthorization(Shared.Access.PortalPolicies.Administration);
        app.MapGet("/api/admin/audit/export", (AuditLog audit, DateOnly? from, DateOnly? to, string? user, string? action, string? format,
                IExporter exporter, RegionClock clock, IStringLocalizer<SharedResource> l, IStringLocalizer<AdminResource> t, ICurrentUser current, HttpContext http) =>
            {
                var query = new AuditQuery(from, to, user, action);
                var readAt = ExportDownload.ReadAt(clock);
                var detail = AuditDetailText.For(http.RequestServices, PortalLanguage.Current);
                return ExportDownload.File(exporter, query.Table(query.Run(audit), l, t, detail).ReadLive(readAt), format, current, "audit");
            })
            .RequireAuthorization(Shared.Access.PortalPolicies.Administration);
        // what the scheduler recorded (the operations page shows the newest in a grid)
        app.MapGet("/api/admin/job-runs", (RetentionAnalytics.Core.Jobs.JobRuns runs) => Results.Ok(runs.Recent(500)))
            .RequireAuthorization(Shared.Access.PortalPolicies.Administration);
        return app;
    }
}
