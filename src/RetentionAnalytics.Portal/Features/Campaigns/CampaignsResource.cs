namespace RetentionAnalytics.Portal.Features.Campaigns;

/// <summary>Marker for the campaign pages' texts (CampaignsResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class CampaignsResource;
