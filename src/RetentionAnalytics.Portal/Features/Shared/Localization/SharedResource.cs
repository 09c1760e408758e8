namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>Marker for the portal's texts (SharedResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class SharedResource;
