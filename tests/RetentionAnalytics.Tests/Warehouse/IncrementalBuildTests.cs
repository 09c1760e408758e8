using System.Globalization;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Generator;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>A generated province whose last month arrives day by day, as the ODS delivers it.</summary>
public sealed class DailyProvinceFixture : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("ra-daily-").FullName;

    public static readonly DateOnly FirstDay = new(2026, 10, 1);

    public DailyProvinceFixture() =>
        ProvinceGenerator.Generate(new GeneratorOptions(600, 3, 17, Folder) { DailyMonths = 1, DailyDays = 3 });

    public IEnumerable<string> Files => Directory.GetFiles(Folder, "*.csv").Order(StringComparer.Ordinal);

    public static DateOnly BusinessDate(string file) =>
        DateOnly.ParseExact(Path.GetFileName(file).Split('_', '.').First(p => p.Length == 8 && p.All(char.IsDigit)), "yyyyMMdd", CultureInfo.InvariantCulture);

    public IEnumerable<string> History => Files.Where(f => BusinessDate(f) < FirstDay);

    public IEnumerable<string> Day(DateOnly day) => Files.Where(f => BusinessDate(f) == day);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// The incremental build equals a full build of the same files, table by table: deliveries day by day, a late file, a
/// corrected re-delivery of an old month, an identical re-delivery; and it refreshes only what they touched.
/// </summary>
public sealed class IncrementalBuildTests(DailyProvinceFixture province) : IClassFixture<DailyProvinceFixture>
{
    [Fact]
    public void Any_sequence_of_daily_loads_equals_a_full_load_of_the_same_files_table_by_table()
    {
        using var incremental = new TestWarehouse();
        var runner = new TransformRunner(incremental.Db, incremental.Contracts);
        var corrections = Corrections(incremental.Inbox("corrections"));
        var late = province.Day(new DateOnly(2026, 10, 5)).Single(f => Path.GetFileName(f).StartsWith("recharge_", StringComparison.Ordinal));

        Deliver(incremental, province.History);
        Assert.All(runner.Run(), m => Assert.Equal("full", m.Mode));

        for (var day = DailyProvinceFixture.FirstDay; day.Month == 10; day = day.AddDays(1))
        {
            Deliver(incremental, province.Day(day).Where(f => f != late));
            var built = runner.Build(BuildRequest.Incremental).Models.ToDictionary(m => m.Model);
            if (day.Day == 10)
            {
                // a day in the middle of the month: its events and the newest month's features, nothing monthly
                Assert.Equal("incremental", built["dw.fct_usage_day"].Mode);
                Assert.Equal(1, built["dw.fct_usage_day"].ScopeCount);
                Assert.Equal(("incremental", "months", 1L), (built["mart.mart_subscriber_features"].Mode, built["mart.mart_subscriber_features"].ScopeKind, built["mart.mart_subscriber_features"].ScopeCount));
                Assert.DoesNotContain("dw.fct_subscriber_month", built.Keys);
                Assert.DoesNotContain("dw.dim_subscriber", built.Keys);
                Assert.DoesNotContain("mart.cube_subscriber_month", built.Keys);
            }
            if (day.Day == 12)
            {
                Deliver(incremental, [late]);
                var lateBuild = runner.Build(BuildRequest.Incremental).Models.ToDictionary(m => m.Model);
                Assert.Equal("incremental", lateBuild["dw.fct_recharge"].Mode);
            }
            if (day.Day == 15)
            {
                Deliver(incremental, corrections);
                var corrected = runner.Build(BuildRequest.Incremental).Models.ToDictionary(m => m.Model);
                // the corrected september snapshot: the histories it changed and the months it feeds, not the whole warehouse
                Assert.Equal("incremental", corrected["dw.dim_subscriber"].Mode);
                Assert.InRange(corrected["dw.dim_subscriber"].ScopeCount!.Value, 1, 20);
                Assert.Equal("incremental", corrected["dw.fct_subscriber_month"].Mode);
                Assert.Equal("2026-09", corrected["dw.fct_subscriber_month"].ScopeDetail);
            }
            if (day.Day == 20)
            {
                // the same file once more: the loader finds it identical, and the build refreshes nothing
                Deliver(incremental, province.Day(new DateOnly(2026, 10, 3)).Where(f => Path.GetFileName(f).StartsWith("payment_", StringComparison.Ordinal)));
                Assert.Empty(runner.Build(BuildRequest.Incremental).Models);
            }
        }

        using var full = new TestWarehouse();
        Deliver(full, province.Files.Concat(corrections));
        var fullBuild = new TransformRunner(full.Db, full.Contracts).Run();
        Assert.All(fullBuild, m => Assert.Equal("full", m.Mode));

        var expected = WarehouseChecksums.Of(full.Db);
        Assert.True(expected.Count >= 30, $"only {expected.Count} tables");
        Assert.Empty(WarehouseChecksums.Differences(expected, WarehouseChecksums.Of(incremental.Db)));
        Assert.Equal(expected["dw.fct_recharge"], WarehouseChecksums.Of(incremental.Db)["dw.fct_recharge"]);
    }

    [Fact]
    public void A_changed_transform_rebuilds_that_model_in_full_and_what_reads_it_follows()
    {
        using var w = new TestWarehouse();
        Deliver(w, province.History);
        var runner = new TransformRunner(w.Db, w.Contracts);
        runner.Run();
        Assert.Empty(runner.Run());

        // as if 100_dw_fct_bill.sql had been edited since the last build
        w.Scalar<long>("update meta.transform_state set sql_hash = 'edited' where model = 'dw.fct_bill'");
        var built = runner.Build(BuildRequest.Incremental).Models.ToDictionary(m => m.Model);

        Assert.Equal(("full", "sql_changed"), (built["dw.fct_bill"].Mode, built["dw.fct_bill"].Reason));
        Assert.Equal("full", built["dw.fct_subscriber_month"].Mode);
        Assert.DoesNotContain("dw.fct_payment", built.Keys);
        Assert.DoesNotContain("dw.dim_subscriber", built.Keys);
    }

    [Fact]
    public void A_changed_contract_rebuilds_the_models_reading_its_extract()
    {
        using var w = new TestWarehouse();
        Deliver(w, province.History);
        var runner = new TransformRunner(w.Db, w.Contracts);
        runner.Run();

        w.Scalar<long>("update meta.contract_state set contract_hash = 'older' where extract = 'payment'");
        var built = runner.Build(BuildRequest.Incremental).Models.ToDictionary(m => m.Model);

        Assert.Equal(("full", "contract_changed", "payment"), (built["dw.fct_payment"].Mode, built["dw.fct_payment"].Reason, built["dw.fct_payment"].Cause));
        Assert.DoesNotContain("dw.fct_recharge", built.Keys);
    }

    [Fact]
    public void The_same_contracts_read_from_another_folder_change_nothing()
    {
        using var w = new TestWarehouse();
        Deliver(w, province.History);
        new TransformRunner(w.Db, w.Contracts).Run();

        // a release installed into a new directory reads the same contracts from another path
        var moved = Path.Combine(Path.GetTempPath(), $"ra-contracts-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(moved);
            foreach (var file in Directory.GetFiles(w.Db.Options.ContractRoot))
            {
                File.Copy(file, Path.Combine(moved, Path.GetFileName(file)));
            }
            var fromThere = ContractCatalog.LoadFolder(moved);
            Assert.NotEqual(w.Contracts.Find("payment")!.SourceFile, fromThere.Find("payment")!.SourceFile);

            Assert.Empty(new TransformRunner(w.Db, fromThere).Run());
        }
        finally
        {
            Directory.Delete(moved, recursive: true);
        }
    }

    [Fact]
    public void A_rebuild_from_a_month_refreshes_that_month_on_and_gives_the_same_tables()
    {
        using var w = new TestWarehouse();
        Deliver(w, province.Files);
        var runner = new TransformRunner(w.Db, w.Contracts);
        runner.Run();
        var before = WarehouseChecksums.Of(w.Db);

        var rebuilt = runner.Rebuild(new DateOnly(2026, 10, 1)).Models.ToDictionary(m => m.Model);

        Assert.Equal(("incremental", "2026-10"), (rebuilt["dw.fct_bill"].Mode, rebuilt["dw.fct_bill"].ScopeDetail));
        Assert.Equal(("incremental", "2026-10"), (rebuilt["dw.fct_subscriber_month"].Mode, rebuilt["dw.fct_subscriber_month"].ScopeDetail));
        Assert.Empty(WarehouseChecksums.Differences(before, WarehouseChecksums.Of(w.Db)));
    }

    private static void Deliver(TestWarehouse w, IEnumerable<string> files)
    {
        var inbox = w.Inbox($"delivery-{Guid.NewGuid():N}");
        foreach (var f in files)
        {
            File.Copy(f, Path.Combine(inbox, Path.GetFileName(f)));
        }
        var results = w.Loader.LoadDirectory(inbox);
        Assert.All(results, r => Assert.True(r.Status is "loaded" or "duplicate", $"{r.FileName}: {r.Status} {r.Message}"));
    }

    /// <summary>
    /// Corrected re-deliveries of old dates, as the ODS sends them: september's subscription snapshot with changed
    /// statuses, tiers and star levels and one subscriber missing; september's bills with corrected amounts; the last
    /// history day's usage with rows withdrawn.
    /// </summary>
    private IReadOnlyList<string> Corrections(string folder)
    {
        var written = new List<string>();
        string Correct(string name, string correctedName, Func<int, string[], string[]?> change)
        {
            var lines = File.ReadAllLines(Path.Combine(province.Folder, name));
            var output = new List<string> { lines[0] };
            for (var i = 1; i < lines.Length; i++)
            {
                if (change(i, lines[i].Split(',')) is { } fields)
                {
                    output.Add(string.Join(',', fields));
                }
            }
            var path = Path.Combine(folder, correctedName);
            File.WriteAllLines(path, output);
            written.Add(path);
            return path;
        }

        Correct("subscription_20260930.csv", "subscription_20260930_1.csv", (i, f) =>
        {
            switch (i)
            {
                case 10 or 20 or 30 when f[6] == "A":
                    f[6] = "S";
                    break;
                case 11 or 21:
                    f[12] = f[12] == "low" ? "mid" : "low";
                    break;
                case 12 or 22:
                    f[13] = f[13] == "7" ? "6" : (int.Parse(f[13], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                    break;
                case 13:
                    return null;
            }
            return f;
        });
        Correct("bill_20260930.csv", "bill_20260930_1.csv", (i, f) =>
        {
            if (i is >= 5 and <= 8)
            {
                f[2] = (decimal.Parse(f[2], CultureInfo.InvariantCulture) + 10m).ToString("0.00", CultureInfo.InvariantCulture);
            }
            return f;
        });
        Correct("usage_day_20260930.csv", "usage_day_20260930_1.csv", (i, f) => i % 7 == 0 ? null : f);
        return written;
    }
}
