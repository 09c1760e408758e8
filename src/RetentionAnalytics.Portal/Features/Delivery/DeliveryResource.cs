namespace RetentionAnalytics.Portal.Features.Delivery;

/// <summary>Marker for the inbox and subscription texts (DeliveryResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class DeliveryResource;
