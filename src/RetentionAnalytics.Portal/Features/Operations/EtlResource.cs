namespace RetentionAnalytics.Portal.Features.Operations;

/// <summary>Marker for the texts of held replacements and definitions (EtlResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class EtlResource;
