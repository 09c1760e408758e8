using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Accounts;
using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Cli;

/// <summary>
/// The portal's own configuration, read the same way (its appsettings.json in the checkout, then environment variables
/// such as <c>Auth__DemoMode</c>), so that the command line and the portal agree on demo mode and the password rule.
/// </summary>
internal static class CliConfiguration
{
    private static readonly Lazy<IConfiguration> Configuration = new(() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(WarehouseOptions.FindRepositoryRoot() ?? AppContext.BaseDirectory,
            "src", "RetentionAnalytics.Portal", "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build());

    /// <summary>Where the operational data lives (the portal's <c>Ops</c> section, e.g. <c>Ops__Provider=postgres</c>).</summary>
    public static OpsOptions Ops
    {
        get
        {
            var ops = new OpsOptions();
            Configuration.Value.GetSection("Ops").Bind(ops);
            return ops;
        }
    }

    /// <summary>The province's time zones (the portal's <c>Region</c> section): the clock every stored time keeps.</summary>
    public static RetentionAnalytics.Core.Regions.RegionTimeOptions Region
    {
        get
        {
            var region = new RetentionAnalytics.Core.Regions.RegionTimeOptions();
            Configuration.Value.GetSection("Region").Bind(region);
            return region;
        }
    }

    /// <summary>
    /// The agents' journal when the configuration is a cluster's whose nodes take over from published builds (the
    /// portal's <c>Ops:Provider=postgres</c> and <c>Cluster:SnapshotFolder</c>, as the portal journals), named by
    /// <c>Cluster:Node</c>; null otherwise. A list the command line makes is then applied, as one made in the portal, by the
    /// next node that takes over from a build published before it. Its warnings (a row PostgreSQL did not take) go to
    /// <paramref name="logs"/>.
    /// </summary>
    public static AgentJournal? Journal(Db db, ILoggerFactory logs)
    {
        var cluster = new ClusterOptions();
        Configuration.Value.GetSection("Cluster").Bind(cluster);
        return Ops.IsPostgres && cluster.PublishesSnapshots ? new AgentJournal(db, cluster.Node, logs.CreateLogger<AgentJournal>()) : null;
    }

    /// <summary>Warnings of the services a command runs, one line each on the console (dispose to flush them).</summary>
    public static ILoggerFactory Logs() =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

    /// <summary>When the pipeline retrains the churn model (the portal's <c>Model</c> section, e.g. <c>Model__RetrainAfterMonths=1</c>).</summary>
    public static RetentionAnalytics.Core.Model.RetrainingPolicy Retraining =>
        Configuration.Value.GetSection("Model").Get<RetentionAnalytics.Core.Model.RetrainingPolicy>() ?? new();

    /// <summary>
    /// When a file is worth compacting (the portal's <c>Warehouse</c> section: CompactAtFreeShare, CompactAtGrowth,
    /// CompactMinimumBytes, e.g. <c>Warehouse__CompactAtGrowth=0.5</c>), so that <c>ra compact --if-needed</c> decides as the pipeline does.
    /// </summary>
    public static void BindCompaction(WarehouseOptions options)
    {
        var section = Configuration.Value.GetSection("Warehouse");
        options.CompactAtFreeShare = section.GetValue(nameof(options.CompactAtFreeShare), options.CompactAtFreeShare);
        options.CompactAtGrowth = section.GetValue(nameof(options.CompactAtGrowth), options.CompactAtGrowth);
        options.CompactMinimumBytes = section.GetValue(nameof(options.CompactMinimumBytes), options.CompactMinimumBytes);
    }

    public static bool DemoMode => Configuration.Value.GetValue("Auth:DemoMode", false);

    public static string DemoPassword => Configuration.Value["Auth:DemoPassword"] is { Length: > 0 } password ? password : "Retention-2026";

    public static PasswordPolicy PasswordPolicy =>
        new(Configuration.Value.GetValue("Auth:MinPasswordLength", PasswordPolicy.Floor), DemoPassword);
}
