using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>Daily loads grow the file by about the data they add, not by a copy of the warehouse each time.</summary>
public sealed class FileGrowthTests(DailyProvinceFixture province, ITestOutputHelper output) : IClassFixture<DailyProvinceFixture>
{
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public void Thirty_consecutive_daily_loads_grow_the_file_by_about_the_data_they_add()
    {
        using var daily = new TestWarehouse();
        var runner = new TransformRunner(daily.Db, daily.Contracts);
        Deliver(daily, province.History);
        runner.Run();
        var sizes = new List<long> { Size(daily) };
        for (var day = DailyProvinceFixture.FirstDay; day.Day <= 30; day = day.AddDays(1))
        {
            Deliver(daily, province.Day(day));
            runner.Run();
            sizes.Add(Size(daily));
        }

        // the same files in one load, then copied into a fresh file: the size the data itself takes
        var dataAfterDay5 = FreshSize(province.History.Concat(Days(1, 5)));
        var dataAfterDay30 = FreshSize(province.History.Concat(Days(1, 30)));
        var grown = sizes[^1] - sizes[5];
        var added = dataAfterDay30 - dataAfterDay5;
        output.WriteLine($"file after the history {sizes[0] / 1e6:N1} MB, day 5 {sizes[5] / 1e6:N1} MB, day 30 {sizes[^1] / 1e6:N1} MB; " +
                         $"fresh copies: day 5 {dataAfterDay5 / 1e6:N1} MB, day 30 {dataAfterDay30 / 1e6:N1} MB");

        // the first days' refreshes leave blocks that later ones reuse; from then on the file grows with the data
        Assert.True(grown <= 1.5 * added + 2 * Megabyte, $"days 6-30 grew the file by {grown / 1e6:N1} MB for {added / 1e6:N1} MB of data");
        Assert.True(sizes[^1] <= 2 * dataAfterDay30 + 8 * Megabyte, $"{sizes[^1] / 1e6:N1} MB after 30 daily loads for {dataAfterDay30 / 1e6:N1} MB of data");
    }

    private IEnumerable<string> Days(int from, int to) =>
        Enumerable.Range(from, to - from + 1).SelectMany(d => province.Day(DailyProvinceFixture.FirstDay.AddDays(d - 1)));

    private static long FreshSize(IEnumerable<string> files)
    {
        using var w = new TestWarehouse();
        Deliver(w, files);
        new TransformRunner(w.Db, w.Contracts).Run();
        Assert.True(new WarehouseCompactor(w.Db).Compact(TimeSpan.FromSeconds(10)).Compacted);
        return Size(w);
    }

    private static long Size(TestWarehouse w) => new FileInfo(w.DatabasePath).Length;

    private static void Deliver(TestWarehouse w, IEnumerable<string> files)
    {
        var inbox = w.Inbox($"delivery-{Guid.NewGuid():N}");
        foreach (var f in files)
        {
            File.Copy(f, Path.Combine(inbox, Path.GetFileName(f)));
        }
        Assert.All(w.Loader.LoadDirectory(inbox), r => Assert.Equal("loaded", r.Status));
    }
}
