namespace RetentionAnalytics.Portal.Features.Shared.Charts;

/// <summary>Marker for the shared chart's texts (ChartsResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class ChartsResource;
