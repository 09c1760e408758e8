using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Sms;

/// <summary>An audience the send form offers: kind, reference and how it reads.</summary>
public sealed class AudienceChoice
{
    public string Kind { get; init; } = "";
    public string Ref { get; init; } = "";
    public string Label { get; init; } = "";
    public long? Subscribers { get; init; }
}

/// <summary>What the SMS pages list beyond the Core services: the audiences to choose from, in the user's scope.</summary>
public sealed class SmsQueries(Db db)
{
    public IReadOnlyList<AudienceChoice> AudienceChoices(RegionScope scope)
    {
        if (scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        return c.Query<AudienceChoice>(db.Sql.Get("sms/audience_choices.sql"), scope.AddTo(new DynamicParameters())).ToList();
    }
}

/// <summary>Marker for the SMS, blacklist and material pages' texts (SmsResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class SmsResource;
