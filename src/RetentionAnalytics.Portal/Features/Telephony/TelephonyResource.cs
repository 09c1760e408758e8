namespace RetentionAnalytics.Portal.Features.Telephony;

/// <summary>Marker for the telephony texts (TelephonyResource.resx, .de.resx, .zh-Hans.resx beside it).</summary>
public sealed class TelephonyResource;
