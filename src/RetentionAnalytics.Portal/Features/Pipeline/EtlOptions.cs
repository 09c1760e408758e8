using RetentionAnalytics.Portal.Features.Shared;

namespace RetentionAnalytics.Portal.Features.Pipeline;

/// <summary>The <c>Etl</c> configuration section. Relative folders are read from the checkout's root.</summary>
public sealed class EtlOptions
{
    /// <summary>Where ODS deliveries arrive; created at start if missing.</summary>
    public string Inbox { get; set; } = "";

    /// <summary>The sample province loaded on the first start of an empty warehouse.</summary>
    public string SeedFolder { get; set; } = "";

    public int InboxPollSeconds { get; set; } = 60;

    /// <summary>Quartz cron (seconds first) of the nightly pipeline run; local time of the host.</summary>
    public string DailyCron { get; set; } = "0 30 2 * * ?";

    public static EtlOptions From(IConfiguration configuration)
    {
        var options = new EtlOptions();
        configuration.GetSection("Etl").Bind(options);
        options.Inbox = PortalPaths.Resolve(options.Inbox, "data", "inbox");
        options.SeedFolder = PortalPaths.Resolve(options.SeedFolder, "data-samples", "province");
        if (options.InboxPollSeconds < 1)
        {
            throw new InvalidOperationException("Etl:InboxPollSeconds must be at least 1.");
        }
        return options;
    }
}
