namespace RetentionAnalytics.Portal.Features.CustomRules;

/// <summary>Marker for the custom rule pages' texts (CustomRulesResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class CustomRulesResource;
