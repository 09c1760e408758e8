namespace RetentionAnalytics.Portal.Features.Cubes;

/// <summary>Marker for the analysis page's texts (CubesResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class CubesResource;
