using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Refusals;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>A service's refusal in the reader's language, from its code and values (the English message as a fallback).</summary>
public static class RefusalText
{
    /// <summary>
    /// A refusal that passes on others (<see cref="IRefusal.Causes"/>) names their texts as {0}; a value with texts of its
    /// own (<see cref="ILocalText"/>, a report parameter's label) is named in the reader's language.
    /// </summary>
    public static string Text(this IStringLocalizer<RefusalResource> t, Exception ex) =>
        ex is IRefusal refusal ? t.Localized(refusal) : ex.Message;

    private static string Localized(this IStringLocalizer<RefusalResource> t, IRefusal refusal)
    {
        if (t[refusal.TextKey] is not { ResourceNotFound: false } text)
        {
            return refusal.Message;
        }
        IReadOnlyList<object> args = refusal.Causes.Count > 0
            ? [string.Join(" ", refusal.Causes.Select(t.Localized))]
            : [.. refusal.Args.Select(a => a is ILocalText local ? local.In(PortalLanguage.Current) : a)];
        try
        {
            return args.Count == 0 ? text.Value : string.Format(CultureInfo.CurrentCulture, text.Value, [.. args]);
        }
        catch (FormatException)
        {
            // a text that names more values than its refusal carries: the English message rather than no message
            return refusal.Message;
        }
    }
}
