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

    public void Dispose() => Warehouse.Dispose();
}
