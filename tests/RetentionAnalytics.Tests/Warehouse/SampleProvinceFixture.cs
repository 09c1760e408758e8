using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>The committed sample province loaded once through the daily pipeline into a real warehouse file.</summary>
public sealed class SampleProvinceFixture : IDisposable
{
    public static string SampleFolder => Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province");

    public TestWarehouse Warehouse { get; } = new();
    public PipelineResult Result { get; }

    public SampleProvinceFixture()
    {
        var pipeline = new DailyPipeline(Warehouse.Loader, new TransformRunner(Warehouse.Db, Warehouse.Contracts), Warehouse.Quality, []);
        Result = pipeline.Run(SampleFolder, progress: null, CancellationToken.None);
    }

    /// <summary>A copy of the built province with its operational data elsewhere (e.g. in PostgreSQL): the copy is the caller's.</summary>
    public TestWarehouse CopyWith(Core.Warehouse.OpsOptions ops)
    {
        lock (Warehouse)
        {
            using (var c = Warehouse.Db.Connect())
            {
                using var checkpoint = c.CreateCommand();
                checkpoint.CommandText = "checkpoint";
                checkpoint.ExecuteNonQuery();
            }
            return new TestWarehouse(ops: ops, copyOf: Warehouse.DatabasePath);
        }
    }

    public void Dispose() => Warehouse.Dispose();
}
