using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Refusals;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>A service's refusal in the reader's language, from its code and values (the English message as a fallback).</summary>
public static class RefusalText
{
    /// <summary>A refusal that passes on others (<see cref="RefusalException.Causes"/>) names their texts as {0}.</summary>
    public static string Text(this IStringLocalizer<RefusalResource> t, Exception ex)
    {
        if (ex is not RefusalException refusal || t[refusal.TextKey] is not { ResourceNotFound: false } text)
        {
            return ex.Message;
        }
        IReadOnlyList<object> args = refusal.Causes.Count > 0 ? [string.Join(" ", refusal.Causes.Select(t.Text))] : refusal.Args;
        try
        {
            return args.Count == 0 ? text.Value : string.Format(CultureInfo.CurrentCulture, text.Value, [.. args]);
        }
        catch (FormatException)
        {
            // a text that names more values than its refusal carries: the English message rather than no message
            return ex.Message;
        }
    }
}
