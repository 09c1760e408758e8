using Microsoft.Extensions.Localization;

namespace RetentionAnalytics.Portal.Features.CustomRules;

/// <summary>Marker for the custom rule pages' texts (CustomRulesResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class CustomRulesResource;

public static class FeatureFieldNames
{
    /// <summary>
    /// A subscriber feature's name in the reader's language (the rule editor's, and a churn score's main factors); the
    /// column name itself where none is translated (a contract's own column).
    /// </summary>
    public static string FieldName(this IStringLocalizer<CustomRulesResource> t, string field) =>
        t[$"Name_{field}"] is { ResourceNotFound: false } text ? text.Value : field;
}
