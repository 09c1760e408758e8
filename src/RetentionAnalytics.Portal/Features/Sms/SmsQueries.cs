using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Sms;

/// <summary>An audience the send form offers: kind, reference, its name in the reader's language and how it reads.</summary>
public sealed class AudienceChoice
{
    public string Kind { get; init; } = "";
    public string Ref { get; init; } = "";
    public string Name { get; init; } = "";
    public DateOnly? Period { get; init; }
    public bool NotReached { get; init; }
    public long? Subscribers { get; init; }

    /// <summary>Set by the page: the name with the alert month or "(not reached)" in the reader's language.</summary>
    public string Label { get; set; } = "";
}

/// <summary>What the SMS pages list beyond the Core services: the audiences to choose from, in the user's scope.</summary>
public sealed class SmsQueries(Db db, Core.Scenarios.CustomRules rules)
{
    public IReadOnlyList<AudienceChoice> AudienceChoices(RegionScope scope, string language)
    {
        if (scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        var args = scope.AddTo(new DynamicParameters());
        args.Add("lang", language);
        // the saved filters are the enabled custom rules (operational data), beside the alerts and call lists
        c.Execute(db.Sql.Get("sms/saved_filter_table.sql"));
        OpsDb.Append(c, null, "saved_filter", ["rule_id", "name"],
            rules.All().Where(r => r.Enabled).Select(r => new object?[] { r.RuleId, r.Name }));
        return c.Query<AudienceChoice>(db.Sql.Get("sms/audience_choices.sql"), args).ToList();
    }

    /// <summary>City code → the city's name in the language (Chinese for zh, the romanised name otherwise).</summary>
    public IReadOnlyDictionary<string, string> CityNames(string language)
    {
        using var c = db.Connect();
        // a warehouse not built yet (no subscriber snapshot delivered) has no regions: no names, not an error
        if (c.ExecuteScalar<long>("select count(*) from information_schema.tables where table_schema = 'dw' and table_name = 'dim_region'") == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        return c.Query<(string Code, string Name)>("""
                select region_code, case when $lang = 'zh' then coalesce(region_name_zh, region_name) else region_name end
                from dw.dim_region where region_level = 'city'
                """, new { lang = language })
            .ToDictionary(r => r.Code, r => r.Name, StringComparer.Ordinal);
    }
}

/// <summary>Marker for the SMS, blacklist and material pages' texts (SmsResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class SmsResource;
