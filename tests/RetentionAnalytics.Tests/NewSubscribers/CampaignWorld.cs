using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Offers;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.SpecialCampaigns;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.NewSubscribers;

/// <summary>
/// A warehouse holding just what questionnaires, offers, new-subscriber callbacks and special campaigns read: current
/// subscriber rows with activation and channel, feature rows, complaints, blacklist -- given as rows, like a dbt unit
/// test -- with the committed team, questionnaire and offer seeds.
/// </summary>
public sealed class CampaignWorld : IDisposable
{
    public static readonly DateOnly Period = new(2026, 10, 1);
    public static readonly DateOnly Today = new(2026, 11, 5);

    public TestWarehouse W { get; }
    public AuditLog Audit { get; }
    public TeamSeeder Teams { get; }
    public TaskGenerator Generator { get; }
    public QuestionnaireCatalog Questionnaires { get; }
    public OfferCatalog Offers { get; }
    public OfferSuggestions Suggestions { get; }
    public NewSubscriberCallbacks Callbacks { get; }
    public SegmentCampaigns Special { get; }

    /// <param name="ops">Where the operational data lives; null: in the warehouse file.</param>
    public CampaignWorld(OpsOptions? ops = null)
    {
        W = new TestWarehouse(ops: ops);
        Exec("""
            create table dw.dim_subscriber (subscriber_id varchar, city_code varchar, value_tier varchar,
                account_manager_id varchar, status varchar, is_current boolean, activation_date date, deactivation_date date,
                channel_code varchar, plan_code varchar, valid_from date, valid_to date);
            create table dw.fct_service_contact (subscriber_id varchar, is_complaint boolean, is_open boolean);
            create table dw.dim_plan (plan_code varchar, plan_name varchar);
            insert into dw.dim_plan values ('Q88', 'Quanqiutong 88');
            create table mart.mart_subscriber_features (subscriber_id varchar, month date, city_code varchar, plan_code varchar,
                payment_type varchar, value_tier varchar, tenure_months bigint, status varchar, months_to_contract_end integer);
            """);
        Audit = new AuditLog(W.Db);
        Teams = new TeamSeeder(W.Db);
        Generator = new TaskGenerator(W.Db, Teams);
        Questionnaires = new QuestionnaireCatalog(W.Db, Audit);
        Offers = new OfferCatalog(W.Db, Audit);
        Suggestions = new OfferSuggestions(W.Db, Offers);
        Callbacks = new NewSubscriberCallbacks(W.Db, Generator, Teams, Audit);
        Special = new SegmentCampaigns(W.Db, new CustomRules(W.Db, Audit), Generator, Teams, Audit);
        Questionnaires.EnsureSeeded();
    }

    public CampaignWorld Subscriber(string id, string city = "571", string tier = "low", DateOnly? activated = null,
        string channel = "S001", string plan = "P28", string status = "active", DateOnly? deactivated = null)
    {
        Exec("insert into dw.dim_subscriber values ($id, $city, $tier, null, $status, true, $activated, $deactivated, $channel, $plan, date '2020-01-01', date '9999-12-31')",
            new { id, city, tier, status, activated = activated ?? new DateOnly(2020, 1, 1), deactivated, channel, plan });
        return this;
    }

    /// <summary>Many new subscribers at once (set-based), activated on days spread over October 2026.</summary>
    public CampaignWorld ManyNew(int count, string city = "571", string prefix = "N")
    {
        Exec("""
            insert into dw.dim_subscriber
            select $prefix || lpad(cast(i as varchar), 6, '0'), $city, 'low', null, 'active', true,
                date '2026-10-01' + cast(i % 31 as integer), null, 'S001', 'P28', date '2020-01-01', date '9999-12-31'
            from range($count) as t(i)
            """, new { count, city, prefix });
        return this;
    }

    public CampaignWorld Features(string id, string city = "571", string plan = "P28", string payment = "postpaid", string tier = "mid",
        int tenure = 24, int? monthsToContractEnd = null, DateOnly? month = null)
    {
        Exec("insert into mart.mart_subscriber_features values ($id, $month, $city, $plan, $payment, $tier, $tenure, 'active', $end)",
            new { id, month = month ?? Period, city, plan, payment, tier, tenure, end = monthsToContractEnd });
        return this;
    }

    public CampaignWorld Blacklist(string subscriber, string scope = "call")
    {
        Exec("insert into ops.blacklist values ($subscriber, $scope, 'request', 'ui', null, now(), 'admin')", new { subscriber, scope });
        return this;
    }

    public CampaignWorld Complaint(string subscriber)
    {
        Exec("insert into dw.fct_service_contact values ($subscriber, true, true)", new { subscriber });
        return this;
    }

    public sealed record Member(string SubscriberId, string City, string MemberGroup, string? ExcludedReason);

    public List<Member> Members(long campaignId) => W.Query<Member>("""
        select subscriber_id as SubscriberId, city_code as City, member_group as MemberGroup, excluded_reason as ExcludedReason
        from ops.campaign_member where campaign_id = $campaignId order by subscriber_id
        """, new { campaignId });

    public List<string> TaskSubscribers(long campaignId) => W.Query<string>(
        "select subscriber_id from ops.task where campaign_id = $campaignId order by subscriber_id", new { campaignId });

    public long AnyTask(string subscriber = "T1")
    {
        Subscriber(subscriber);
        Exec("""
            insert into ops.campaign (campaign_id, campaign_key, name, kind, period, holdout_pct, seed, status, created_at, created_by)
            values (999, 'test:2026-10', 'test', 'retention', date '2026-10-01', 0, 'test', 'open', now(), 'test');
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, priority_score, scenario_ids, status, created_at, updated_at)
            values (nextval('ops.task_id_seq'), 999, $subscriber, '571', 1, 's13', 'assigned', now(), now());
            """, new { subscriber });
        using (var c = W.Db.Connect())
        {
            CampaignTitles.Refresh(c, W.Db, 999);
        }
        return W.Scalar<long>("select max(task_id) from ops.task");
    }

    public static RegionScope Hangzhou => RegionScope.ForCities(["571"]);

    public void Exec(string sql, object? args = null)
    {
        using var c = W.Db.Connect();
        c.Execute(sql, args);
    }

    public void Dispose() => W.Dispose();
}
