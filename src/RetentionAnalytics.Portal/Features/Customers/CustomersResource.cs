namespace RetentionAnalytics.Portal.Features.Customers;

/// <summary>Marker for the customer pages' texts (CustomersResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class CustomersResource;
