namespace RetentionAnalytics.Portal.Features.Reports;

/// <summary>Marker for the report pages' texts (ReportsResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class ReportsResource;
