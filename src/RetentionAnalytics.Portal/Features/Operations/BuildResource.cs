namespace RetentionAnalytics.Portal.Features.Operations;

/// <summary>Marker for the build history's texts on the operations page (BuildResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class BuildResource;
