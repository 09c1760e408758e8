using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Refusals;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>A service's refusal in the reader's language, from its code and values (the English message as a fallback).</summary>
public static class RefusalText
{
    /// <summary>
    /// A refusal that passes on others (<see cref="IRefusal.Causes"/>) names their texts as {0}; a value with texts of its
    /// own (<see cref="ILocalText"/>, a report parameter's label, or an enum with a text of its own in the refusal resources)
    /// is named in the reader's language.
    /// </summary>
    /// <param name="name">
    /// The page's own name for a value it knows better than the service (a rule's field or operator as the rules page
    /// shows them); null keeps the value.
    /// </param>
    public static string Text(this IStringLocalizer<RefusalResource> t, Exception ex, Func<object, string?>? name = null) =>
        ex is IRefusal refusal ? t.Localized(refusal, name) : ex.Message;

    private static string Localized(this IStringLocalizer<RefusalResource> t, IRefusal refusal, Func<object, string?>? name)
    {
        if (t[refusal.TextKey] is not { ResourceNotFound: false } text)
        {
            return refusal.Message;
        }
        IReadOnlyList<object> args = refusal.Causes.Count > 0
            ? [string.Join(" ", refusal.Causes.Select(c => t.Localized(c, name)))]
            : [.. refusal.Args.Select(a => a switch
            {
                ILocalText local => local.In(PortalLanguage.Current),
                // a kind the service names by an enum with texts of its own (MaterialContentKind_Pdf: "a PDF document")
                Enum kind when t[IRefusal.KeyOf(kind)] is { ResourceNotFound: false } text => text.Value,
                _ => name?.Invoke(a) ?? a,
            })];
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
