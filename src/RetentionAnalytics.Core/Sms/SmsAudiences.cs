using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

/// <summary>
/// Who a send goes to. <c>alerts</c>: <c>&lt;scenario_id&gt;:&lt;yyyy-MM&gt;</c>; <c>call_list</c>:
/// <c>&lt;campaign_id&gt;</c> or <c>&lt;campaign_id&gt;:not_reached</c>; <c>saved_filter</c>: <c>custom_&lt;rule id&gt;</c>
/// (a custom rule's condition, evaluated on the newest month).
/// </summary>
public sealed record SmsAudience(string Kind, string Ref)
{
    public const string Alerts = "alerts";
    public const string CallList = "call_list";
    public const string SavedFilter = "saved_filter";

    /// <summary>One task's subscriber: an agent's SMS instead of a call (not offered as a bulk audience).</summary>
    public const string Task = "task";

    public static readonly IReadOnlyList<string> Kinds = [Alerts, CallList, SavedFilter];

    public override string ToString() => $"{Kind}:{Ref}";
}

public sealed record AudienceMember(string SubscriberId, string CityCode);

public sealed record CityCount(string CityCode, int Recipients);

/// <summary>An audience that cannot be drawn; <see cref="Code"/> names the problem for the portal's texts.</summary>
public sealed class SmsAudienceException(string message, string code = "audience_invalid") : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Draws an audience within the requester's scope: no scope, no members.</summary>
public sealed class SmsAudiences(Db db, CustomRules rules)
{
    public IReadOnlyList<AudienceMember> Members(SmsAudience audience, RegionScope scope)
    {
        if (scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        switch (audience.Kind)
        {
            case SmsAudience.Alerts:
            {
                var parts = audience.Ref.Split(':');
                if (parts.Length != 2 || !DateOnly.TryParseExact(parts[1] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var period))
                {
                    throw new SmsAudienceException("an alert audience is <scenario_id>:<yyyy-MM>");
                }
                var args = scope.AddTo(new DynamicParameters());
                args.Add("scenario_id", parts[0]);
                args.Add("period", period);
                return c.Query<AudienceMember>(db.Sql.Get("sms/audience_alerts.sql"), args).ToList();
            }
            case SmsAudience.CallList:
            {
                var parts = audience.Ref.Split(':');
                if (parts.Length is < 1 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var campaignId)
                    || parts.Length == 2 && parts[1] != "not_reached")
                {
                    throw new SmsAudienceException("a call-list audience is <campaign_id> or <campaign_id>:not_reached");
                }
                var args = scope.AddTo(new DynamicParameters());
                args.Add("campaign_id", campaignId);
                args.Add("not_reached", parts.Length == 2);
                return c.Query<AudienceMember>(db.Sql.Get("sms/audience_call_list.sql"), args).ToList();
            }
            case SmsAudience.SavedFilter:
            {
                var rule = rules.FindByScenarioId(audience.Ref) ?? throw new SmsAudienceException($"no saved filter {audience.Ref}");
                var query = rules.Compile(rule.ScenarioId, rule.Name, rule.Priority, rule.DefinitionJson, rule.Scope);
                var sql = query.WrappedIn(db.Sql.Get("sms/audience_saved_filter.sql"));
                var month = c.ExecuteScalar<object>("select as_of_month from dw.as_of") switch
                {
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    _ => throw new SmsAudienceException("the warehouse holds no month yet", "no_data"),
                };
                return c.Query<AudienceMember>(sql, query.Bind(sql, month, scope)).ToList();
            }
            case SmsAudience.Task:
            {
                if (!long.TryParse(audience.Ref, NumberStyles.None, CultureInfo.InvariantCulture, out var taskId))
                {
                    throw new SmsAudienceException("a task audience is <task_id>");
                }
                var args = scope.AddTo(new DynamicParameters());
                args.Add("task_id", taskId);
                return c.Query<AudienceMember>(db.Sql.Get("sms/audience_task.sql"), args).ToList();
            }
            default:
                throw new SmsAudienceException($"unknown audience kind \"{audience.Kind}\"");
        }
    }

    /// <summary>Recipients per city, as shown before a send is requested.</summary>
    public static IReadOnlyList<CityCount> ByCity(IEnumerable<AudienceMember> members) =>
        members.GroupBy(m => m.CityCode).Select(g => new CityCount(g.Key, g.Count())).OrderBy(c => c.CityCode).ToList();
}
