using System.Text.RegularExpressions;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

public sealed record SmsTemplate(
    string TemplateId, string Language, int Version, string Name, string Body, bool Active, DateTime CreatedAt, string CreatedBy);

/// <summary>A field a template may name as <c>{field}</c>, filled from the warehouse (sql/sms/subscriber_fields.sql).</summary>
public sealed record SmsField(string Name, string Meaning, string Example);

/// <summary>
/// A template that cannot be saved or sent: unknown placeholder, unknown language, empty text. <see cref="Code"/> names
/// the problem for the portal's texts, <see cref="Args"/> its details; the message is the English wording.
/// </summary>
public sealed class SmsTemplateException(string code, string message, params object[] args) : Exception(message)
{
    public string Code { get; } = code;
    public IReadOnlyList<object> Args { get; } = args;
}

/// <summary>A message as rendered for one subscriber, and the fields it names that have no value for them.</summary>
public sealed record RenderedSms(string Text, IReadOnlyList<string> Missing)
{
    public bool IsComplete => Missing.Count == 0;
}

/// <summary>The values of one subscriber for rendering (personal: never logged).</summary>
public sealed class SubscriberFields
{
    public string SubscriberId { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string? Status { get; init; }
    public string? Msisdn { get; init; }
    public string? FirstName { get; init; }
    public string? PlanName { get; init; }
    public string? ContractEnd { get; init; }
    public string? Balance { get; init; }
    public string? PointsBalance { get; init; }
    public string? AmountOwed { get; init; }
    public string? CityName { get; init; }

    public string? Value(string field) => field switch
    {
        "first_name" => FirstName,
        "plan_name" => PlanName,
        "contract_end" => ContractEnd,
        "balance" => Balance,
        "points_balance" => PointsBalance,
        "amount_owed" => AmountOwed,
        "city_name" => CityName,
        _ => null,
    };
}

/// <summary>
/// SMS templates per language with placeholders checked against <see cref="Fields"/>. An edit adds a version (who and
/// when are kept, and audited); the mandatory opt-out text of the language is appended to every message, so a template
/// can neither forget nor alter it.
/// </summary>
public sealed partial class SmsTemplates(Db db, AuditLog audit)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "de", "zh"];

    public static readonly IReadOnlyList<SmsField> Fields =
    [
        new("first_name", "the customer's first name (the whole name when it has no spaces)", "Anna"),
        new("plan_name", "current tariff plan", "Family 88"),
        new("contract_end", "end of the latest active agreement, yyyy-MM-dd", "2026-12-31"),
        new("balance", "prepaid balance at the newest month end", "12.50"),
        new("points_balance", "loyalty points balance", "4200"),
        new("amount_owed", "open arrears amount", "58.00"),
        new("city_name", "city of the subscription", "Hangzhou"),
    ];

    /// <summary>
    /// The example values as a customer with a Chinese name and plan reads them: most of the sample province's
    /// customers. One such character makes the whole message UCS-2 (70 characters a segment instead of 160).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ChineseExamples = new Dictionary<string, string>
    {
        ["first_name"] = "欧阳晓明", ["plan_name"] = "全球通畅享88元套餐", ["city_name"] = "杭州",
    };

    /// <summary>The opt-out text every message ends with, by language; replies TD / STOP / 退订 opt out.</summary>
    public static readonly IReadOnlyDictionary<string, string> OptOutText = new Dictionary<string, string>
    {
        ["en"] = "Reply TD to unsubscribe",
        ["de"] = "Antworten Sie STOP zur Abmeldung",
        ["zh"] = "回复TD退订",
    };

    private const int MaxBodyLength = 1000;

    /// <summary>Checks a body; returns the placeholders it uses or throws with the first problem.</summary>
    public static IReadOnlyList<string> Validate(string language, string body)
    {
        if (!Languages.Contains(language))
        {
            throw new SmsTemplateException("unknown_language", $"unknown language \"{language}\"; use one of {string.Join(", ", Languages)}", language);
        }
        if (string.IsNullOrWhiteSpace(body) || body.Length > MaxBodyLength)
        {
            throw new SmsTemplateException("body_length", $"a template needs a text of 1..{MaxBodyLength} characters", MaxBodyLength);
        }
        var used = new List<string>();
        foreach (Match m in Placeholder().Matches(body))
        {
            var name = m.Groups[1].Value;
            if (Fields.All(f => f.Name != name))
            {
                throw new SmsTemplateException("unknown_placeholder",
                    $"unknown placeholder {{{name}}}; known fields: {string.Join(", ", Fields.Select(f => "{" + f.Name + "}"))}", "{" + name + "}");
            }
            used.Add(name);
        }
        var stray = body.Replace("{{", "").Replace("}}", "");
        if (Placeholder().Replace(stray, "").IndexOfAny(['{', '}']) >= 0)
        {
            throw new SmsTemplateException("stray_brace", "a brace that is not part of a {field} placeholder; write {{ or }} for a literal brace");
        }
        return used;
    }

    /// <summary>The message a subscriber receives: the body with its fields filled in, then the opt-out text.</summary>
    public static string Render(string language, string body, Func<string, string?> value) => RenderFor(language, body, value).Text;

    /// <summary>
    /// The message with its fields filled in, and the fields without a value: such a message reads wrong ("ends on .")
    /// and is not sent -- the preview warns, a send suppresses it.
    /// </summary>
    public static RenderedSms RenderFor(string language, string body, Func<string, string?> value)
    {
        Validate(language, body);
        var missing = new List<string>();
        var text = Placeholder().Replace(body, m =>
            {
                var filled = value(m.Groups[1].Value);
                if (string.IsNullOrWhiteSpace(filled))
                {
                    missing.Add(m.Groups[1].Value);
                    return "";
                }
                return filled;
            })
            .Replace("{{", "{").Replace("}}", "}")
            .TrimEnd();
        // a space between body and opt-out for the alphabetic languages; Chinese text runs on without one
        var separator = language == "zh" ? "" : " ";
        return new RenderedSms(text + separator + OptOutText[language], missing.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The body with the fields' example values, for the live preview without a subscriber.</summary>
    public static string RenderExample(string language, string body) =>
        Render(language, body, name => Fields.FirstOrDefault(f => f.Name == name)?.Example);

    /// <summary>The body as a customer with a Chinese name and plan receives it (see <see cref="ChineseExamples"/>).</summary>
    public static string RenderChineseExample(string language, string body) =>
        Render(language, body, name => ChineseExamples.TryGetValue(name, out var zh) ? zh : Fields.FirstOrDefault(f => f.Name == name)?.Example);

    public SmsTemplate Save(string templateId, string language, string name, string body, bool active, string username)
    {
        if (!TemplateIdPattern().IsMatch(templateId))
        {
            throw new SmsTemplateException("template_id", "a template id is 1..50 lowercase letters, digits, - or _");
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new SmsTemplateException("template_name", "a template needs a name of 1..100 characters");
        }
        Validate(language, body);
        // saving what is already in use (a double click on save, a save without an edit) adds no version
        if (Current(templateId, language) is { } current && current.Name == name && current.Body == body && current.Active == active)
        {
            return current;
        }
        using var c = db.Ops.Connect();
        var version = c.ExecuteScalar<int>(db.Ops.Sql.Get("sms/insert_template_version.sql"),
            new { template_id = templateId, language, name, body, active, username });
        audit.Write(username, "sms_template_change", $"{templateId}/{language}", detail: $"version {version}");
        return Current(templateId, language)!;
    }

    /// <summary>The version in use of every template and language.</summary>
    public IReadOnlyList<SmsTemplate> CurrentAll()
    {
        using var c = db.Ops.Connect();
        return c.Query<SmsTemplate>(db.Ops.Sql.Get("sms/current_templates.sql")).ToList();
    }

    public SmsTemplate? Current(string templateId, string language) =>
        CurrentAll().SingleOrDefault(t => t.TemplateId == templateId && t.Language == language);

    public IReadOnlyList<SmsTemplate> History(string templateId, string language)
    {
        using var c = db.Ops.Connect();
        return c.Query<SmsTemplate>(db.Ops.Sql.Get("sms/template_history.sql"), new { template_id = templateId, language }).ToList();
    }

    /// <summary>Field values of subscribers within the scope (sql/sms/subscriber_fields.sql).</summary>
    public IReadOnlyList<SubscriberFields> FieldsOf(IReadOnlyCollection<string> subscriberIds, RegionScope scope)
    {
        if (subscriberIds.Count == 0 || scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        var args = scope.AddTo(new DynamicParameters());
        args.Add("subscriber_ids", string.Join(',', subscriberIds));
        return c.Query<SubscriberFields>(db.Sql.Get("sms/subscriber_fields.sql"), args).ToList();
    }

    [GeneratedRegex(@"(?<!\{)\{([a-z_]+)\}(?!\})")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z0-9_-]{1,50}$")]
    private static partial Regex TemplateIdPattern();
}
