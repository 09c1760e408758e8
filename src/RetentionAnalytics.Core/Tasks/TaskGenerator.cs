using System.Data;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Tasks;

/// <summary>How call lists are made for a period.</summary>
public sealed record CallListOptions
{
    /// <summary>One retention campaign for all call scenarios instead of one campaign per scenario.</summary>
    public bool Combined { get; init; }

    /// <summary>Share of eligible subscribers held back as the control group of a new campaign (kept on the campaign).</summary>
    public double Holdout { get; init; } = 0.10;

    /// <summary>A subscriber called or sent an SMS within this many days is not called again (contact pressure).</summary>
    public int ContactWindowDays { get; init; } = 14;

    /// <summary>The day the lists are made for (blacklist validity, contact window); default today.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>Days an agent has to work a new task.</summary>
    public int DueDays { get; init; } = 7;

    /// <summary>Value tier weights of the queue order (priority = weight x risk score).</summary>
    public double WeightHigh { get; init; } = 3;
    public double WeightMid { get; init; } = 2;
    public double WeightLow { get; init; } = 1;

    public string CreatedBy { get; init; } = "system";
}

/// <summary>The campaign a fill adds to: its id, the seed and holdout of its control group, and the day of the run.</summary>
public sealed record CampaignFill(long CampaignId, string Seed, double HoldoutPct, DateOnly Today);

/// <summary>What a fill added: members, tasks, and members whose reasons joined the subscriber's live task elsewhere.</summary>
public sealed record FillResult(long AddedMembers, long AddedTasks, long Linked = 0);

public sealed record CampaignSummary(
    long CampaignId, string CampaignKey, string Name, double HoldoutPct, long Members, long Eligible, long Treated, long Control,
    long ExcludedBlacklist, long ExcludedOptOut, long ExcludedRecentContact, long ExcludedOpenComplaint, long ExcludedChurned,
    long Tasks, long Assigned, long Unassigned, long Linked);

/// <summary>
/// Turns a period's alerts of call scenarios into campaigns, members (treated, control or excluded with the reason)
/// and ranked tasks routed to account managers and retention teams. A subscriber has one live task at most: a member
/// who already has one in another campaign is linked to it (its scenarios join that task's reasons) instead of getting
/// a second task and maybe a second agent. Re-runnable: campaigns are found by their key, members and tasks are only
/// added for subscribers that have none, and only open unassigned tasks are (re)routed.
/// </summary>
public sealed class TaskGenerator(Db db, TeamSeeder teams)
{
    private sealed record CallScenario(string ScenarioId, string Name, int Priority);
    private sealed record Campaign(long CampaignId, string CampaignKey, string Name, double HoldoutPct, string Seed);

    /// <summary>
    /// Creates or tops up the period's call lists, one transaction per campaign. The nightly pipeline passes no
    /// <paramref name="journal"/> (a list cut off with its writer is made again by the node that takes over); <c>ra tasks
    /// generate</c> with a cluster's configuration journals each campaign's rows as a list made in the portal.
    /// </summary>
    public IReadOnlyList<CampaignSummary> Generate(DateOnly period, CallListOptions? options = null, Workbench.AgentJournal? journal = null)
    {
        options ??= new CallListOptions();
        period = new DateOnly(period.Year, period.Month, 1);
        teams.EnsureSeeded();
        var today = options.Today ?? db.Clock.Today;

        List<CallScenario> scenarios;
        using (var c = db.Connect())
        {
            scenarios = c.Query<CallScenario>(db.Sql.Get("tasks/call_scenarios.sql"), new { period }).ToList();
        }
        var month = period.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var plans = options.Combined
            ? scenarios.Count == 0 ? [] : [(Key: $"retention:{month}", Name: $"Retention {month}", Kind: "retention", ScenarioId: (string?)null,
                Scenarios: string.Join(',', scenarios.Select(s => s.ScenarioId)))]
            : scenarios.Select(s => (Key: $"{s.ScenarioId}:{month}", Name: $"{s.Name} {month}", Kind: "scenario", ScenarioId: (string?)s.ScenarioId,
                Scenarios: s.ScenarioId)).ToList();

        foreach (var plan in plans)
        {
            using var c = db.Connect();
            using var tx = c.BeginTransaction();
            var campaign = c.QuerySingleOrDefault<Campaign>(db.Sql.Get("tasks/find_campaign.sql"), new { campaign_key = plan.Key }, tx);
            var created = campaign is null;
            if (campaign is null)
            {
                var id = c.ExecuteScalar<long>(db.Sql.Get("tasks/insert_campaign.sql"), new
                {
                    campaign_key = plan.Key, name = plan.Name, kind = plan.Kind, scenario_id = plan.ScenarioId, period,
                    holdout_pct = options.Holdout, seed = plan.Key, created_by = options.CreatedBy,
                }, tx);
                CampaignTitles.Refresh(c, db, id, tx);
                campaign = new Campaign(id, plan.Key, plan.Name, options.Holdout, plan.Key);
            }
            // the campaign keeps the holdout and seed it was created with: a re-run never moves members between groups
            var candidates = new DynamicParameters(new { period, scenario_ids = plan.Scenarios });
            Fill(c, tx, new CampaignFill(campaign.CampaignId, campaign.Seed, campaign.HoldoutPct, today),
                db.Sql.Get("tasks/alerted_candidates.sql"), candidates, options);
            var made = journal?.Read(c, tx, campaign.CampaignId, created);
            tx.Commit();
            if (made is not null)
            {
                journal!.Made(options.CreatedBy, made);
            }
        }
        return Summaries(period);
    }

    /// <summary>
    /// Adds members and tasks to an existing campaign from any candidate query and routes its open tasks, in the
    /// caller's transaction: the exclusions, the control-group draw, task ranking and assignment are those of the call
    /// lists. <paramref name="candidatesSql"/> returns one row per subscriber with subscriber_id, city_code,
    /// value_tier, risk_score and scenario_ids. Re-runs add only subscribers that are not yet members.
    /// </summary>
    public FillResult Fill(DuckDBConnection c, IDbTransaction tx, CampaignFill campaign, string candidatesSql,
        DynamicParameters candidateParameters, CallListOptions options)
    {
        const string Counts = """
            select (select count(*) from ops.campaign_member where campaign_id = $campaign_id),
                (select count(*) from ops.task where campaign_id = $campaign_id),
                (select count(*) from ops.task_link where campaign_id = $campaign_id)
            """;
        var before = c.QuerySingle<(long Members, long Tasks, long Linked)>(Counts, new { campaign_id = campaign.CampaignId }, tx);
        c.Execute("create or replace temp table campaign_candidates as " + candidatesSql, candidateParameters, tx, commandTimeout: 0);
        BlacklistInForce.Stage(db, c, tx, BlacklistInForce.Call, campaign.Today);
        c.Execute(db.Sql.Get("tasks/insert_members.sql"), new
        {
            campaign_id = campaign.CampaignId, today = campaign.Today, contact_window_days = options.ContactWindowDays,
            seed = campaign.Seed, holdout_pct = campaign.HoldoutPct,
        }, tx, commandTimeout: 0);
        c.Execute("drop table campaign_candidates; drop table blacklist_in_force", transaction: tx);
        // links first: a member whose subscriber is already being worked in another campaign gets no task of its own
        c.Execute(db.Sql.Get("tasks/link_tasks.sql"), new { campaign_id = campaign.CampaignId }, tx, commandTimeout: 0);
        c.Execute(db.Sql.Get("tasks/insert_tasks.sql"), new
        {
            campaign_id = campaign.CampaignId, due_date = campaign.Today.AddDays(options.DueDays),
            weight_high = options.WeightHigh, weight_mid = options.WeightMid, weight_low = options.WeightLow,
        }, tx, commandTimeout: 0);
        // the queue shows the customer's name from the task itself (no warehouse read per request): new tasks are named,
        // live ones follow the profile's name (the call lists run after every build); before the first build there is no
        // profile to name them from
        if (Etl.Loading.Loader.TableExists(c, "mart", "subscriber_profile"))
        {
            c.Execute(db.Sql.Get("tasks/name_tasks.sql"), transaction: tx, commandTimeout: 0);
        }
        var routing = RegionScope.WholeProvince.AddTo(new DynamicParameters());
        routing.Add("campaign_id", campaign.CampaignId);
        c.Execute(db.Sql.Get("tasks/assign_tasks.sql"), routing, tx, commandTimeout: 0);
        var after = c.QuerySingle<(long Members, long Tasks, long Linked)>(Counts, new { campaign_id = campaign.CampaignId }, tx);
        return new FillResult(after.Members - before.Members, after.Tasks - before.Tasks, after.Linked - before.Linked);
    }

    public IReadOnlyList<CampaignSummary> Summaries(DateOnly period)
    {
        using var c = db.Connect();
        return c.Query<CampaignSummary>(db.Sql.Get("tasks/campaign_summary.sql"), new { period = new DateOnly(period.Year, period.Month, 1) }).ToList();
    }
}
