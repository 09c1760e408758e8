namespace RetentionAnalytics.Portal.Features.Dialer;

/// <summary>Marker for the dialer texts (DialerResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class DialerResource;
