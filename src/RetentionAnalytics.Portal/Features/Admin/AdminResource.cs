namespace RetentionAnalytics.Portal.Features.Admin;

/// <summary>Marker for the administration pages' own texts (AdminResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class AdminResource;
