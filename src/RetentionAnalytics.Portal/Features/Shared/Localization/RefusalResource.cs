namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>
/// Marker for the texts of the services' refusals (RefusalResource.resx, .de.resx, .zh-Hans.resx beside it), one per
/// code: "MaterialRefusal_FileType" for <c>MaterialRefusal.FileType</c>.
/// </summary>
public sealed class RefusalResource;
