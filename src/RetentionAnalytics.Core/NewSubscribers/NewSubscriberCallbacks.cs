using System.Globalization;
using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.NewSubscribers;

/// <summary>Which new subscribers are called back: activated within N days before the period end, by channel, city, plan.</summary>
public sealed record NewSubscriberSettings(int ActivatedWithinDays, string? Channels, string? Cities, string? Plans, double HoldoutPct)
{
    public static readonly NewSubscriberSettings Default = new(30, null, null, null, 0.10);
}

public sealed record NewSubscriberRun(
    long CampaignId, string CampaignKey, DateOnly Period, DateTime RunAt, string RunBy, string SettingsJson,
    long AddedMembers, long AddedTasks);

public sealed record NewSubscriberList(
    long CampaignId, string CampaignKey, DateOnly Period, string Status, long Members, long Treated, long Control, long Excluded, long Tasks,
    string Name);

public sealed record GenerationResult(long CampaignId, string CampaignKey, DateOnly WindowStart, DateOnly WindowEnd, long AddedMembers, long AddedTasks, NewSubscriberList List);

public sealed record ProblemCount(string Category, long Answers);

/// <summary>How a new-subscriber callback list worked, within the viewer's scope.</summary>
public sealed record NewSubscriberEffectiveness(
    long Treated, long Control, long Tasks, long TasksReached, double? ReachRate, long SatisfactionAnswers, double? Satisfaction,
    long TreatedEarlyChurn, double? TreatedEarlyChurnRate, long ControlEarlyChurn, double? ControlEarlyChurnRate,
    IReadOnlyList<ProblemCount> Problems);

/// <summary>Why new-subscriber callback settings or a list are refused (texts: NewSubscriberRefusal_* in the portal's refusal resources).</summary>
public enum NewSubscriberRefusal { ActivatedWithin, ControlGroup, Codes, NoScope }

public sealed class NewSubscriberException(NewSubscriberRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>
/// New-subscriber callbacks: a campaign of kind new_subscriber per month with the new_subscriber questionnaire, whose
/// members are the subscribers activated within the configured window (channels, cities, plans). Members, control
/// group, exclusions and task routing are the call lists' (<see cref="TaskGenerator.Fill"/>); a re-run adds only
/// subscribers that are not yet members. Each run is kept in ops.campaign_run. With several nodes what a run made is
/// journaled (<see cref="AgentJournal.Made"/>) once it is committed.
/// </summary>
public sealed class NewSubscriberCallbacks(Db db, TaskGenerator generator, TeamSeeder teams, AuditLog audit, AgentJournal? journal = null)
{
    public const string Kind = "new_subscriber";
    public const string QuestionnaireId = "new_subscriber";
    private const int EarlyChurnDays = 90;

    public NewSubscriberSettings Settings()
    {
        using var c = db.Connect();
        return c.QuerySingleOrDefault<NewSubscriberSettings>("""
            select activated_within_days as ActivatedWithinDays, channels as Channels, cities as Cities, plans as Plans,
                   holdout_pct as HoldoutPct
            from ops.new_subscriber_settings where settings_id = 'default'
            """) ?? NewSubscriberSettings.Default;
    }

    public NewSubscriberSettings SaveSettings(NewSubscriberSettings settings, string username)
    {
        settings = Checked(settings);
        using (var c = db.Connect())
        using (var tx = c.BeginTransaction())
        {
            c.Execute("delete from ops.new_subscriber_settings where settings_id = 'default'", transaction: tx);
            c.Execute("""
                insert into ops.new_subscriber_settings values ('default', $ActivatedWithinDays, $Channels, $Cities, $Plans,
                    $HoldoutPct, now(), $username)
                """, new { settings.ActivatedWithinDays, settings.Channels, settings.Cities, settings.Plans, settings.HoldoutPct, username }, tx);
            tx.Commit();
        }
        audit.Write(username, "callback_settings_change", Kind, detail: JsonSerializer.Serialize(settings));
        return settings;
    }

    /// <summary>Lists normalised (trimmed, comma-joined, empty = any) and bounds checked.</summary>
    public static NewSubscriberSettings Checked(NewSubscriberSettings s)
    {
        if (s.ActivatedWithinDays is < 1 or > 365)
        {
            throw new NewSubscriberException(NewSubscriberRefusal.ActivatedWithin, "activated within: 1..365 days", 365);
        }
        if (s.HoldoutPct is < 0 or > 0.5)
        {
            throw new NewSubscriberException(NewSubscriberRefusal.ControlGroup, "control group: 0..50 %", 50);
        }
        static string? List(string? raw)
        {
            var items = (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            if (items.Any(i => i.Length > 40 || !i.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-')))
            {
                throw new NewSubscriberException(NewSubscriberRefusal.Codes, "channels, cities and plans are comma-separated codes");
            }
            return items.Count == 0 ? null : string.Join(',', items);
        }
        return s with { Channels = List(s.Channels), Cities = List(s.Cities), Plans = List(s.Plans) };
    }

    /// <summary>The newest data month (dw.as_of), the default period of a run.</summary>
    public DateOnly? NewestPeriod()
    {
        using var c = db.Connect();
        return Etl.Loading.Loader.TableExists(c, "dw", "as_of") ? c.ExecuteScalar<DateOnly?>("select as_of_month from dw.as_of") : null;
    }

    /// <summary>
    /// Creates (or tops up) the period's callback list with the stored settings, adding only subscribers of the
    /// caller's scope: a city supervisor fills in their cities, and a later province run adds the rest. The demo's seed
    /// passes <paramref name="journaled"/> false: like the nightly call lists, a seed cut off with its writer is made
    /// again by the node that takes over.
    /// </summary>
    public GenerationResult Generate(DateOnly period, string username, RegionScope scope, DateOnly? today = null, bool journaled = true)
    {
        if (scope.IsEmpty)
        {
            throw new NewSubscriberException(NewSubscriberRefusal.NoScope, "a user without a region scope cannot generate a list");
        }
        var settings = Settings();
        period = new DateOnly(period.Year, period.Month, 1);
        var windowEnd = period.AddMonths(1).AddDays(-1);
        var windowStart = windowEnd.AddDays(1 - settings.ActivatedWithinDays);
        var month = period.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var key = $"{Kind}:{month}";
        teams.EnsureSeeded();
        var options = new CallListOptions { Holdout = settings.HoldoutPct, CreatedBy = username, Today = today };
        var day = today ?? db.Clock.Today;

        long campaignId;
        FillResult fill;
        CampaignMade? made;
        using (var c = db.Connect())
        using (var tx = c.BeginTransaction())
        {
            var campaign = c.QuerySingleOrDefault<ExistingCampaign>(
                "select campaign_id as CampaignId, seed as Seed, holdout_pct as HoldoutPct from ops.campaign where campaign_key = $key order by campaign_id limit 1",
                new { key }, tx);
            var created = campaign is null;
            if (campaign is null)
            {
                var id = c.ExecuteScalar<long>(db.Sql.Get("campaigns/insert_campaign.sql"), new
                {
                    campaign_key = key, name = $"New subscribers {month}", kind = Kind, period, holdout_pct = settings.HoldoutPct,
                    seed = key, created_by = username, questionnaire_id = QuestionnaireId,
                }, tx);
                CampaignTitles.Refresh(c, db, id, tx);
                campaign = new ExistingCampaign(id, key, settings.HoldoutPct);
            }
            campaignId = campaign.CampaignId;
            var candidates = scope.AddTo(new DynamicParameters(new
            {
                window_start = windowStart, window_end = windowEnd, channels = settings.Channels, cities = settings.Cities,
                plans = settings.Plans, days = settings.ActivatedWithinDays,
            }));
            fill = generator.Fill(c, tx, new CampaignFill(campaignId, campaign.Seed, campaign.HoldoutPct, day),
                db.Sql.Get("campaigns/new_subscriber_candidates.sql"), candidates, options);
            c.Execute("insert into ops.campaign_run values ($campaignId, now(), $username, $json, $members, $tasks)", new
            {
                campaignId, username, json = JsonSerializer.Serialize(new { settings, windowStart, windowEnd }),
                members = fill.AddedMembers, tasks = fill.AddedTasks,
            }, tx);
            made = journaled ? journal?.Read(c, tx, campaignId, created) : null;
            tx.Commit();
        }
        if (made is not null)
        {
            journal!.Made(username, made);
        }
        audit.Write(username, "callback_list_generate", key, detail: $"members +{fill.AddedMembers}, tasks +{fill.AddedTasks}");
        var list = Lists(RegionScope.WholeProvince, "en").First(l => l.CampaignId == campaignId);
        return new GenerationResult(campaignId, key, windowStart, windowEnd, fill.AddedMembers, fill.AddedTasks, list);
    }

    /// <summary>The generated lists, newest first, counted within the viewer's scope.</summary>
    public IReadOnlyList<NewSubscriberList> Lists(RegionScope scope, string language)
    {
        using var c = db.Connect();
        return c.Query<NewSubscriberList>(db.Sql.Get("campaigns/new_subscriber_lists.sql"),
            scope.AddTo(new DynamicParameters(new { kind = Kind, lang = language }))).ToList();
    }

    public IReadOnlyList<NewSubscriberRun> Runs()
    {
        using var c = db.Connect();
        return c.Query<NewSubscriberRun>("""
            select run.campaign_id as CampaignId, campaign.campaign_key as CampaignKey, campaign.period as Period,
                   run.run_at as RunAt, run.run_by as RunBy, run.settings_json as SettingsJson,
                   run.added_members as AddedMembers, run.added_tasks as AddedTasks
            from ops.campaign_run as run
            inner join ops.campaign as campaign on campaign.campaign_id = run.campaign_id
            where campaign.kind = $kind
            order by run.run_at desc
            """, new { kind = Kind }).ToList();
    }

    /// <summary>Reach, satisfaction, problems found and early churn (within 90 days of activation), treated vs. control.</summary>
    public NewSubscriberEffectiveness Evaluate(long campaignId, RegionScope scope)
    {
        using var c = db.Connect();
        var p = scope.AddTo(new DynamicParameters(new
        {
            campaign_id = campaignId, questionnaire_id = QuestionnaireId, early_churn_days = EarlyChurnDays,
        }));
        var r = c.QuerySingle<EffectivenessRow>(db.Sql.Get("campaigns/new_subscriber_effectiveness.sql"), p);
        var problems = c.Query<ProblemCount>(db.Sql.Get("campaigns/new_subscriber_problems.sql"), p).ToList();
        return new NewSubscriberEffectiveness(r.Treated, r.Control, r.Tasks, r.TasksReached, r.ReachRate, r.SatisfactionAnswers,
            r.Satisfaction, r.TreatedEarlyChurn, r.TreatedEarlyChurnRate, r.ControlEarlyChurn, r.ControlEarlyChurnRate, problems);
    }

    private sealed record ExistingCampaign(long CampaignId, string Seed, double HoldoutPct);

    private sealed record EffectivenessRow(
        long Treated, long Control, long Tasks, long TasksReached, double? ReachRate, long SatisfactionAnswers, double? Satisfaction,
        long TreatedEarlyChurn, double? TreatedEarlyChurnRate, long ControlEarlyChurn, double? ControlEarlyChurnRate);
}
