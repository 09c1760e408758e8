namespace RetentionAnalytics.Portal.Features.Workbench;

/// <summary>Marker for the workbench pages' texts (WorkbenchResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class WorkbenchResource;
