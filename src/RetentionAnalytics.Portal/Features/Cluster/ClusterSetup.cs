using Quartz;
using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Portal.Features.Cluster;

public static class ClusterSetup
{
    /// <summary>
    /// Several portal nodes (docs/deploy.md). With <c>Ops:Provider=postgres</c> one node at a time is the writer — it
    /// holds the lease in PostgreSQL, runs the pipeline and the scheduled jobs and, with <c>Cluster:SnapshotFolder</c>,
    /// publishes its warehouse after each successful run for the other nodes to follow. With <c>duckdb</c> the one
    /// process is the writer and nothing else changes.
    /// </summary>
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        if (!IsClustered(builder.Configuration))
        {
            builder.Services.AddSingleton(WriterRole.Alone());
            return builder;
        }
        var options = Options(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(WriterRole.Clustered(options.Node, options.HotStandby, options.StandbyServesReading));
        builder.Services.AddSingleton<WriterLease>();
        builder.Services.AddHostedService<LeaseKeeper>();
        builder.Services.AddQuartz(q => q.AddTriggerListener<WriterOnlyJobs>([GroupMatcher<TriggerKey>.AnyGroup()]));
        if (options.PublishesSnapshots)
        {
            builder.Services.AddSingleton<WarehouseSnapshots>();
            builder.Services.AddHostedService<SnapshotFollower>();
            // tasks and outcomes are in each node's file: the writer journals them for whoever takes over
            builder.Services.AddSingleton(sp => new AgentJournal(sp.GetRequiredService<Db>(), options.Node, sp.GetRequiredService<ILogger<AgentJournal>>(), keepsOwed: true));
        }
        return builder;
    }

    /// <summary>
    /// Before the warehouse is opened: a node of a cluster that publishes snapshots starts on a copy of the newest one
    /// (a new node, or one that was down while the writer built).
    /// </summary>
    public static void AdoptPublishedWarehouse(IConfiguration configuration, WarehouseOptions warehouse)
    {
        if (IsClustered(configuration) && Options(configuration) is { PublishesSnapshots: true } options)
        {
            WarehouseSnapshots.AdoptAtStart(Path.GetFullPath(warehouse.DatabasePath), options.SnapshotFolder!, new SqlFiles(warehouse.SqlRoot));
        }
    }

    private static bool IsClustered(IConfiguration configuration)
    {
        var ops = new OpsOptions();
        configuration.GetSection("Ops").Bind(ops);
        return ops.IsPostgres;
    }

    private static ClusterOptions Options(IConfiguration configuration)
    {
        var options = new ClusterOptions();
        configuration.GetSection("Cluster").Bind(options);
        if (!string.IsNullOrWhiteSpace(options.SnapshotFolder))
        {
            options.SnapshotFolder = Path.GetFullPath(options.SnapshotFolder);
        }
        options.Validate();
        return options;
    }
}
