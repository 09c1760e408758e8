using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Portal.Features.Sms;

namespace RetentionAnalytics.Portal.Features.Admin;

/// <summary>
/// An audit entry's detail in the reader's language. The writers record identifiers and counts in a few formats (one
/// word as <c>created</c> or <c>draft saved</c>; <c>key=value</c> lists joined by <c>;</c> or blanks, a value changed as
/// <c>old->new</c>; <c>version 3, 120 bytes</c>; <c>members +5, tasks +7</c>; <c>task:42 recipients=3 awaiting approval</c>):
/// those are worded with names (roles, cities, teams, tiers, reports) and labelled counts. A detail in any other form,
/// or with a word or key this version does not know, is shown as stored.
/// </summary>
public sealed partial class AuditDetailText(
    IStringLocalizer<AdminResource> t, IStringLocalizer<SharedResource> l, IStringLocalizer<SmsResource> sms, NameBook names,
    Func<string, string?> reportTitle)
{
    /// <summary>Keys whose value is a count, written in the reader's culture.</summary>
    private static readonly HashSet<string> Counts =
        ["rows", "accepted", "rejected", "recipients", "messages", "agents", "served", "matches", "capacity", "denied"];

    /// <summary>Keys whose value is an identifier or an integration's code, quoted as stored.</summary>
    private static readonly HashSet<string> Quoted =
        ["integration", "mode", "disposition", "status", "attempt", "tasks", "parameter", "action"];

    /// <summary>The formatter of the page's language: names from the warehouse's dimensions, report titles from the catalogue.</summary>
    public static AuditDetailText For(IServiceProvider services, string language) => new(
        services.GetRequiredService<IStringLocalizer<AdminResource>>(), services.GetRequiredService<IStringLocalizer<SharedResource>>(),
        services.GetRequiredService<IStringLocalizer<SmsResource>>(), services.GetRequiredService<DimensionNames>().For(language),
        id => services.GetRequiredService<ReportCatalog>().Find(id)?.Title.In(language));

    public Phrase Render(string action, string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            return Phrase.Empty;
        }
        return Worded(action, detail.Trim()) ?? Phrase.Verbatim(detail);
    }

    private Phrase? Worded(string action, string detail)
    {
        var word = Word(detail);
        switch (action)
        {
            // the writer's own text: a parameter's name, a released or discarded file's name
            case "parameter_change" when word is null:
                return Field("parameter", Phrase.Verbatim(detail));
            case "load_release" or "load_discard" when word is null:
                return Field("file", Phrase.Verbatim(detail));
            case "definitions_reload":
                return Definitions(detail);
            case "callback_settings_change" or "special_campaign_create":
                return null;
        }
        if (word is not null)
        {
            return word;
        }
        if (Version().Match(detail) is { Success: true } version)
        {
            return version.Groups["bytes"].Success
                ? Phrase.Format(t["AuditDetail_VersionBytes"], Count(version.Groups["v"].Value), Count(version.Groups["bytes"].Value))
                : Phrase.Format(t["AuditDetail_Version"], Count(version.Groups["v"].Value));
        }
        if (Added().Match(detail) is { Success: true } added)
        {
            return Phrase.Format(t["AuditDetail_MembersTasks"], Count(added.Groups["members"].Value), Count(added.Groups["tasks"].Value));
        }
        if (SmsRequest().Match(detail) is { Success: true } request)
        {
            var audience = Phrase.Format(t["AuditDetail_Audience"], Named(t, "AuditDetail_audience_", request.Groups["kind"].Value),
                Phrase.Verbatim(request.Groups["ref"].Value));
            var recipients = Phrase.Format(t["AuditField_recipients"], Count(request.Groups["n"].Value));
            return Phrase.Join(t["AuditDetail_Separator"], request.Groups["waiting"].Success
                ? new[] { audience, recipients, Phrase.Worded(t["AuditDetail_awaiting_approval"]) }
                : new[] { audience, recipients });
        }
        if (RevealRefused().Match(detail) is { Success: true } reveal)
        {
            return Phrase.Format(t["AuditDetail_RevealRefused"], Named(t, "AuditDetail_field_", reveal.Groups["field"].Value));
        }
        return Fields(action, detail);
    }

    /// <summary>A reload's counts (<c>12 contracts, 5 reports, 3 cubes, 20 scenarios; 2 problem(s)</c>), each labelled, else null.</summary>
    private Phrase? Definitions(string detail)
    {
        var parts = new List<Phrase>();
        foreach (var part in detail.Split([", ", "; "], StringSplitOptions.None))
        {
            if (Counted().Match(part) is not { Success: true } m
                || t["AuditDetail_definitions_" + m.Groups["what"].Value.Replace("(s)", "", StringComparison.Ordinal)] is not { ResourceNotFound: false } label)
            {
                return null;
            }
            parts.Add(Phrase.Format(label, Count(m.Groups["n"].Value)));
        }
        return Phrase.Join(t["AuditDetail_Separator"], parts);
    }

    /// <summary>A <c>key=value</c> list (with words among them), every part known, else null.</summary>
    private Phrase? Fields(string action, string detail)
    {
        var parts = detail.Split(detail.Contains(';') ? ';' : ' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var worded = new List<Phrase>();
        foreach (var part in parts)
        {
            var eq = part.IndexOf('=');
            if (eq < 0)
            {
                if (Word(part) is not { } word)
                {
                    return null;
                }
                worded.Add(word);
                continue;
            }
            var key = part[..eq];
            // a blacklist's scope is what it blocks (calls, SMS), not a user's cities
            if (action.StartsWith("blacklist_", StringComparison.Ordinal) && key is "scope" or "reason")
            {
                key = "blacklist_" + key;
            }
            var raw = part[(eq + 1)..];
            if (key == "until" && raw == "-")
            {
                worded.Add(Phrase.Worded(t["AuditDetail_until_open"]));
                continue;
            }
            var arrow = raw.IndexOf("->", StringComparison.Ordinal);
            var value = arrow < 0
                ? Value(key, raw)
                : Value(key, raw[..arrow]) is { } before && Value(key, raw[(arrow + 2)..]) is { } after
                    ? Phrase.Format(t["AuditDetail_Change"], before, after)
                    : null;
            if (value is null || Field(key, value) is not { } field)
            {
                return null;
            }
            worded.Add(field);
        }
        return worded.Count == 0 ? null : Phrase.Join(t["AuditDetail_Separator"], worded);
    }

    private Phrase? Field(string key, Phrase value) =>
        t["AuditField_" + key] is { ResourceNotFound: false } label ? Phrase.Format(label, value) : null;

    /// <summary>A value by its name, count or date; null when the key is not one this version words.</summary>
    private Phrase? Value(string key, string value)
    {
        if (value is "" or "-")
        {
            return Phrase.Worded("–");
        }
        return key switch
        {
            "roles" => Phrase.Worded(string.Join(", ", Split(value).Select(r => Named(l, "Role_", r)))),
            "scope" => value switch
            {
                "province" => Phrase.Worded(l["ScopeProvince"]),
                "none" => Phrase.Worded(t["AuditDetail_scope_none"]),
                _ => Phrase.Worded(names.Names("city", Split(value))),
            },
            "city" or "cities" => Phrase.Worded(names.Names("city", Split(value))),
            "team" => Phrase.Worded(names.Name("team", value)),
            "tiers" => Phrase.Worded(string.Join(", ", Split(value).Select(v => Named(t, "Tier_", v)))),
            "kind" => Phrase.Worded(Named(t, "TeamKind_", value)),
            "report" => reportTitle(value) is { } title ? Phrase.Worded(title) : Phrase.Verbatim(value),
            "active" or "streamed" => value.ToLowerInvariant() switch
            {
                "true" or "yes" => Phrase.Worded(l["Yes"]),
                "false" or "no" => Phrase.Worded(l["No"]),
                _ => Phrase.Verbatim(value),
            },
            "until" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    ? Phrase.Worded(day.ToString("d", CultureInfo.CurrentCulture))
                    : Phrase.Verbatim(value),
            "type" => Phrase.Verbatim(value.ToUpperInvariant()),
            "source" => Word(value) ?? Phrase.Verbatim(value),
            "field" => Phrase.Worded(Named(t, "AuditDetail_field_", value)),
            "blacklist_scope" => Phrase.Worded(Named(sms, "Scope_", value)),
            "blacklist_reason" => Phrase.Worded(Named(sms, "Reason_", value)),
            _ when Counts.Contains(key) => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? Phrase.Worded(n.ToString("N0", CultureInfo.CurrentCulture))
                : Phrase.Verbatim(value),
            _ when Quoted.Contains(key) => Phrase.Verbatim(value),
            _ => null,
        };
    }

    /// <summary>
    /// A whole detail or a part of one that is a word of its own (<c>created</c>, <c>draft saved</c>, <c>wrong_password</c>),
    /// or an action's code (what a denied customer view attempted); else null.
    /// </summary>
    private Phrase? Word(string text)
    {
        // a refusal's reason key as the service names it (UnknownReport)
        if (Identifier().IsMatch(text) && t["AuditDetail_" + text] is { ResourceNotFound: false } reason)
        {
            return Phrase.Worded(reason);
        }
        var slug = NotWord().Replace(text.ToLowerInvariant(), "_").Trim('_');
        if (slug.Length == 0 || slug.Length > 60)
        {
            return null;
        }
        if (t["AuditDetail_" + slug] is { ResourceNotFound: false } word)
        {
            return Phrase.Worded(word);
        }
        return slug == text && t["AuditAction_" + slug] is { ResourceNotFound: false } action ? Phrase.Worded(action) : null;
    }

    private static string Named(IStringLocalizer localizer, string prefix, string code) =>
        localizer[prefix + code] is { ResourceNotFound: false } name ? name.Value : code;

    private static long Count(string digits) => long.Parse(digits, CultureInfo.InvariantCulture);

    private static string[] Split(string list) =>
        list.Split([',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^version (?<v>\d+)(, (?<bytes>\d+) bytes)?$")]
    private static partial Regex Version();

    [GeneratedRegex(@"^members \+(?<members>\d+), tasks \+(?<tasks>\d+)$")]
    private static partial Regex Added();

    [GeneratedRegex(@"^(?<kind>[a-z_]+):(?<ref>\S+) recipients=(?<n>\d+)(?<waiting> awaiting approval)?$")]
    private static partial Regex SmsRequest();

    [GeneratedRegex(@"^reveal:(?<field>[a-z_]+)$")]
    private static partial Regex RevealRefused();

    [GeneratedRegex(@"^(?<n>\d+) (?<what>[a-z()]+)$")]
    private static partial Regex Counted();

    [GeneratedRegex("^[A-Z][A-Za-z]+$")]
    private static partial Regex Identifier();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotWord();
}
