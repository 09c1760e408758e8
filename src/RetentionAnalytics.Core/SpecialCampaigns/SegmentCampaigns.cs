using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.SpecialCampaigns;

/// <summary>What a supervisor asks for: a name, a segment (a custom-rule condition), a questionnaire and a holdout.</summary>
public sealed record SpecialCampaignRequest(string Name, string SegmentJson, string QuestionnaireId, double HoldoutPct);

public sealed record SpecialCampaign(
    long CampaignId, string CampaignKey, string Name, DateOnly Period, string? QuestionnaireId, double HoldoutPct,
    string CreatedBy, DateTime CreatedAt, string SegmentJson, long Members, long Treated, long Control, long Excluded, long Tasks);

/// <summary>Why a special campaign is refused (texts: SpecialCampaignRefusal_* in the portal's refusal resources).</summary>
public enum SpecialCampaignRefusal { Name, ControlGroup, NoScope, Segment, NoFeatureData, NoQuestionnaire, NoCampaign }

public sealed class SpecialCampaignException : RefusalException
{
    public SpecialCampaignException(SpecialCampaignRefusal code, string message, params object[] args) : base(code, message, args)
    {
    }

    /// <summary>The segment's own refusal (a custom-rule condition), shown after this one's text.</summary>
    public SpecialCampaignException(SpecialCampaignRefusal code, RefusalException inner) : base(code, inner.Message, [], inner)
    {
    }
}

/// <summary>
/// Special-retention campaigns: a segment over the feature fields, written in the custom rules' condition language and
/// validated and compiled by <see cref="CustomRules"/> (no second filter language), becomes a campaign of kind special
/// with its own questionnaire. Members and tasks come from <see cref="TaskGenerator.Fill"/> (exclusions, control
/// group, routing as the call lists), and only within the creating supervisor's region scope, kept with the segment
/// so a refresh reads the same cities. With several nodes the campaign, and what each refresh added, is journaled
/// (<see cref="AgentJournal.Made"/>) once it is committed.
/// </summary>
public sealed class SegmentCampaigns(
    Db db, CustomRules rules, TaskGenerator generator, TeamSeeder teams, AuditLog audit, AgentJournal? journal = null)
{
    public const string Kind = "special";

    public SpecialCampaign Create(SpecialCampaignRequest request, string username, RegionScope scope, DateOnly? today = null)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            throw new SpecialCampaignException(SpecialCampaignRefusal.Name, "a campaign needs a name of 1..100 characters", 100);
        }
        if (request.HoldoutPct is < 0 or > 0.5)
        {
            throw new SpecialCampaignException(SpecialCampaignRefusal.ControlGroup, "control group: 0..50 %", 50);
        }
        if (scope.IsEmpty)
        {
            throw new SpecialCampaignException(SpecialCampaignRefusal.NoScope, "a user without a region scope cannot create a campaign");
        }
        RuleCondition segment;
        try
        {
            segment = CustomRules.Parse(request.SegmentJson);
        }
        catch (CustomRuleException ex)
        {
            throw new SpecialCampaignException(SpecialCampaignRefusal.Segment, ex);
        }
        var month = FeatureMonth() ?? throw new SpecialCampaignException(SpecialCampaignRefusal.NoFeatureData, "no feature data yet");
        teams.EnsureSeeded();
        var key = $"{Kind}:{month:yyyy-MM}:{Guid.NewGuid():N}"[..(Kind.Length + 1 + 7 + 1 + 12)];
        using (var ops = db.Ops.Connect())
        {
            // the questionnaires are operational data; the campaign is written beside the tasks
            if (ops.ExecuteScalar<long>(db.Ops.Text("select count(*) from ops.questionnaire where questionnaire_id = $id"), new { id = request.QuestionnaireId }) == 0)
            {
                throw new SpecialCampaignException(SpecialCampaignRefusal.NoQuestionnaire, $"no questionnaire {request.QuestionnaireId}", request.QuestionnaireId);
            }
        }
        long campaignId;
        CampaignMade? made;
        using (var c = db.Connect())
        using (var tx = c.BeginTransaction())
        {
            campaignId = c.ExecuteScalar<long>(db.Sql.Get("campaigns/insert_campaign.sql"), new
            {
                campaign_key = key, name = request.Name.Trim(), kind = Kind, period = month, holdout_pct = request.HoldoutPct,
                seed = key, created_by = username, questionnaire_id = request.QuestionnaireId,
            }, tx);
            CampaignTitles.Refresh(c, db, campaignId, tx);
            c.Execute("insert into ops.campaign_segment values ($campaignId, $json, $month, $all, $cities)", new
            {
                campaignId, json = CustomRules.Canonical(segment), month, all = scope.Province, cities = string.Join(',', scope.Cities),
            }, tx);
            made = journal?.Read(c, tx, campaignId, created: true);
            tx.Commit();
        }
        if (made is not null)
        {
            journal!.Made(username, made);
        }
        audit.Write(username, "special_campaign_create", campaignId.ToString(CultureInfo.InvariantCulture), detail: key);
        Refresh(campaignId, username, today);
        return Get(campaignId, scope)!;
    }

    /// <summary>Adds the segment's subscribers that are not members yet (from the feature month the campaign was made for).</summary>
    public FillResult Refresh(long campaignId, string username, DateOnly? today = null)
    {
        using var c = db.Connect();
        using var tx = c.BeginTransaction();
        var s = c.QuerySingleOrDefault<Stored>("""
            select campaign.campaign_key as CampaignKey, campaign.seed as Seed, campaign.holdout_pct as HoldoutPct,
                   segment.definition_json as DefinitionJson, segment.feature_month as FeatureMonth,
                   segment.scope_all as ScopeAll, segment.scope_cities as ScopeCities
            from ops.campaign as campaign
            inner join ops.campaign_segment as segment on segment.campaign_id = campaign.campaign_id
            where campaign.campaign_id = $campaignId and campaign.kind = $kind
            """, new { campaignId, kind = Kind }, tx) ?? throw new SpecialCampaignException(SpecialCampaignRefusal.NoCampaign, $"no special campaign {campaignId}", campaignId);
        var scope = s.ScopeAll ? RegionScope.WholeProvince : RegionScope.ForCities((s.ScopeCities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
        // the compiled segment is the custom rules' own SQL: whitelisted columns, every value bound, the owner's scope applied
        var query = rules.Compile(s.CampaignKey, s.CampaignKey, 3, s.DefinitionJson, scope);
        var candidates = query.WrappedIn(db.Sql.Get("campaigns/segment_candidates.sql"));
        var parameters = query.Bind(candidates, s.FeatureMonth, scope, new { scenario_ids = s.CampaignKey });
        var fill = generator.Fill(c, tx, new CampaignFill(campaignId, s.Seed, s.HoldoutPct, today ?? db.Clock.Today),
            candidates, parameters, new CallListOptions { CreatedBy = username });
        c.Execute("insert into ops.campaign_run values ($campaignId, now(), $username, $json, $members, $tasks)", new
        {
            campaignId, username, json = s.DefinitionJson, members = fill.AddedMembers, tasks = fill.AddedTasks,
        }, tx);
        var made = journal?.Read(c, tx, campaignId, created: false);
        tx.Commit();
        if (made is not null)
        {
            journal!.Made(username, made);
        }
        return fill;
    }

    /// <summary>Special campaigns with their members and tasks counted within the viewer's scope.</summary>
    public IReadOnlyList<SpecialCampaign> All(RegionScope scope)
    {
        using var c = db.Connect();
        return c.Query<SpecialCampaign>(db.Sql.Get("campaigns/special_campaigns.sql"), scope.AddTo(new DynamicParameters())).ToList();
    }

    public SpecialCampaign? Get(long campaignId, RegionScope scope) => All(scope).FirstOrDefault(x => x.CampaignId == campaignId);

    private DateOnly? FeatureMonth()
    {
        using var c = db.Connect();
        return Etl.Loading.Loader.TableExists(c, "mart", "mart_subscriber_features")
            ? c.ExecuteScalar<DateOnly?>("select max(month) from mart.mart_subscriber_features")
            : null;
    }

    private sealed record Stored(string CampaignKey, string Seed, double HoldoutPct, string DefinitionJson, DateOnly FeatureMonth,
        bool ScopeAll, string? ScopeCities);
}
