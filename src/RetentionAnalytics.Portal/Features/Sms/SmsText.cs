using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Sms;

namespace RetentionAnalytics.Portal.Features.Sms;

/// <summary>The SMS services' refusals in the reader's language, from their codes (the English message as a fallback).</summary>
public static class SmsText
{
    public static string Error(this IStringLocalizer<SmsResource> t, Exception ex) => ex switch
    {
        SmsTemplateException e => Coded(t, e.Code, e.Args, e.Message),
        SmsSendException e => Coded(t, e.Code, e.Args, e.Message),
        SmsAudienceException e => Coded(t, e.Code, [], e.Message),
        _ => ex.Message,
    };

    private static string Coded(IStringLocalizer<SmsResource> t, string code, IReadOnlyList<object> args, string fallback) =>
        t[$"SmsError_{code}"] is { ResourceNotFound: false } text
            ? args.Count == 0 ? text.Value : string.Format(CultureInfo.CurrentCulture, text.Value, [.. args])
            : fallback;

    /// <summary>"frequency_cap=2, opt_out=1" as "contact limit: 2 · opted out: 1".</summary>
    public static string SuppressedReasons(this IStringLocalizer<SmsResource> t, string? byReason) =>
        string.Join(" · ", (byReason ?? "").Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var (reason, count) = part.IndexOf('=') is var i and > 0 ? (part[..i], part[(i + 1)..]) : (part, "");
            var name = t[$"Suppressed_{reason}"] is { ResourceNotFound: false } n ? n.Value : reason;
            return $"{name}: {count}";
        }));

    /// <summary>"GSM-7" or "UCS-2".</summary>
    public static string EncodingName(string encoding) => encoding == SmsSegments.Gsm7 ? "GSM-7" : "UCS-2";
}
