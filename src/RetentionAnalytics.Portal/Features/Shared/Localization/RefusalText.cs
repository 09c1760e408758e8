using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Refusals;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>A service's refusal in the reader's language, from its code and values (the English message as a fallback).</summary>
public static class RefusalText
{
    /// <summary>A refusal that passes on another's (<see cref="RefusalException.Cause"/>) names that one's text as {0}.</summary>
    public static string Text(this IStringLocalizer<RefusalResource> t, Exception ex)
    {
        if (ex is not RefusalException refusal || t[refusal.TextKey] is not { ResourceNotFound: false } text)
        {
            return ex.Message;
        }
        IReadOnlyList<object> args = refusal.Cause is { } cause ? [t.Text(cause)] : refusal.Args;
        return args.Count == 0 ? text.Value : string.Format(CultureInfo.CurrentCulture, text.Value, [.. args]);
    }
}
