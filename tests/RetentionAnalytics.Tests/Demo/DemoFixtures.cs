using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Demo;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Demo;

/// <summary>A warehouse file in a temporary folder with the services the portal wires on it (pipeline steps included).</summary>
public abstract class SeededWarehouse : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("ra-demo-").FullName;
    public string DatabasePath => Path.Combine(Folder, "warehouse.duckdb");
    public string SeedOutput { get; protected set; } = "";
    public TimeSpan SeedTime { get; protected set; }

    private ServiceProvider? _services;
    public IServiceProvider Services => _services ??= Wire();
    public Db Db => Services.GetRequiredService<Db>();
    public ReportEngine Reports => new(Db, ReportCatalog.Load(ReportCatalog.FolderOf(Db.Options), Db.Sql));

    private ServiceProvider Wire() => new ServiceCollection()
        .AddLogging()
        .AddWarehouseCore(new WarehouseOptions { DatabasePath = DatabasePath, Threads = 2 })
        .AddWorkbench()
        .AddDemo()
        .BuildServiceProvider();

    public T Scalar<T>(string sql, object? args = null)
    {
        using var c = Db.Connect();
        return c.ExecuteScalar<T>(sql, args)!;
    }

    public List<T> Query<T>(string sql, object? args = null)
    {
        using var c = Db.Connect();
        return c.Query<T>(sql, args).ToList();
    }

    public void Dispose()
    {
        _services?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The sample province seeded as a demo by the real command line, <c>ra demo</c>, into an empty warehouse.</summary>
public sealed class DemoWarehouseFixture : SeededWarehouse
{
    public DemoWarehouseFixture()
    {
        var clock = Stopwatch.StartNew();
        using var p = RaCli.Start("demo", "--db", DatabasePath);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // a busy CI machine: the seed takes one to three minutes
        if (!p.WaitForExit(TimeSpan.FromMinutes(12)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("ra demo did not finish in 12 minutes");
        }
        SeedOutput = stdout.Result + stderr.Result;
        SeedTime = clock.Elapsed;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ra demo exited {p.ExitCode}:\n{SeedOutput}");
        }
    }
}

/// <summary>
/// The sample province through the same pipeline and steps (the demo step included), into a warehouse that was never
/// marked as a demo: what a production start with the sample folder does.
/// </summary>
public sealed class PlainWarehouseFixture : SeededWarehouse
{
    public PipelineResult Result { get; }

    public PlainWarehouseFixture()
    {
        var clock = Stopwatch.StartNew();
        Result = Services.GetRequiredService<DailyPipeline>().Run(SampleProvinceFixture.SampleFolder, progress: null, CancellationToken.None);
        SeedTime = clock.Elapsed;
        SeedOutput = Result.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoWarehouseFixture>
{
    public const string Name = "demo warehouse (ra demo)";
}

[CollectionDefinition(Name)]
public sealed class PlainCollection : ICollectionFixture<PlainWarehouseFixture>
{
    public const string Name = "plain warehouse (sample without demo mode)";
}
