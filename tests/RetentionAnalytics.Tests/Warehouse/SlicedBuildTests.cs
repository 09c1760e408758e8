using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// Models declared with <c>-- slices:</c> are built in full one slice at a time, so that no statement holds a province's
/// whole history: the serving profile by slices of subscribers, the monthly fact and the marts over it by slices of
/// months. The slices together make the same tables, with the profile's index.
/// </summary>
public sealed class SlicedBuildTests(SampleProvinceFixture f) : IClassFixture<SampleProvinceFixture>
{
    private static readonly string[] Sliced =
        ["mart.subscriber_profile", "dw.fct_subscriber_month", "mart.mart_subscriber_features", "mart.cube_subscriber_month"];

    /// <summary>Row count and a checksum of every row in a fixed order.</summary>
    private static string Checksum(TestWarehouse w, string table) => w.Scalar<string>($"""
        select count(*) || ':' || coalesce(md5(string_agg(cast(t as varchar), '|' order by cast(t as varchar))), '')
        from {table} as t
        """);

    [Fact]
    public void A_full_build_in_slices_makes_the_same_tables_as_one_statement()
    {
        using var w = f.CopyWith(new OpsOptions());
        var whole = Sliced.ToDictionary(t => t, t => Checksum(w, t));
        var subscribers = w.Scalar<long>("select count(distinct subscriber_id) from dw.dim_subscriber");
        var months = w.Scalar<long>("select count(distinct month) from dw.fct_subscriber_month");
        Assert.True(months >= 3, "the sample holds several months");

        // an eighth of the subscribers per slice: the profile in eight slices, and every month a slice of its own
        var build = new TransformRunner(w.Db, w.Contracts).Build(BuildRequest.Full with { SliceSize = subscribers / 8 + 1 });

        foreach (var table in Sliced)
        {
            Assert.Equal("full", Assert.Single(build.Models, m => m.Model == table).Mode);
            Assert.Equal(whole[table], Checksum(w, table));
        }
        Assert.StartsWith(w.Scalar<long>("select count(*) from dw.dim_subscriber where is_current") + ":", whole["mart.subscriber_profile"],
            StringComparison.Ordinal);
        Assert.Equal(1L, w.Scalar<long>(
            "select count(*) from duckdb_indexes() where schema_name = 'mart' and table_name = 'subscriber_profile'"));
        // the monthly fact keeps its physical order by month across its slices
        Assert.Equal(0L, w.Scalar<long>("""
            select count(*) from (select month, lag(month) over () as previous from dw.fct_subscriber_month) where month < previous
            """));
    }

    private static TransformModel Declared(string slices) => TransformModel.Parse("900_mart_sliced.sql", $"""
        -- grain: one row per subscriber
        -- refresh: key subscriber_id
        -- input: dw.dim_subscriber
        -- slices: {slices}
        select subscriber_id from dw.dim_subscriber
        """);

    [Theory]
    [InlineData("200000 per 10GB", 7_500_000_000, 150_000)]
    [InlineData("200000 per 10GB", 1_500_000_000, 30_000)]
    [InlineData("200000 per 10GB", 20_000_000, 1_000)]
    [InlineData("200000", 1_500_000_000, 200_000)]
    public void Slices_declared_per_memory_scale_with_the_memory_duckdb_has(string slices, long duckDbMemory, long keys) =>
        Assert.Equal(keys, Declared(slices).PerSlice(duckDbMemory));

    [Theory]
    [InlineData("0")]
    [InlineData("200000 per lots")]
    [InlineData("200000 per 50%")]
    [InlineData("200000 for 10GB")]
    public void A_slices_line_that_is_no_number_of_keys_is_refused_with_its_file(string slices)
    {
        var error = Assert.Throws<TransformException>(() => Declared(slices));
        Assert.Contains("900_mart_sliced.sql", error.Message);
        Assert.Contains("per 10GB", error.Message);
    }

    [Fact]
    public void Slices_need_a_model_refreshed_by_one_key_or_by_partition()
    {
        var error = Assert.Throws<TransformException>(() => TransformModel.Parse("901_mart_whole.sql", """
            -- grain: one row per city
            -- refresh: full
            -- input: dw.dim_subscriber
            -- slices: 1000
            select city_code from dw.dim_subscriber
            """));
        Assert.Contains("refresh: partition", error.Message);
    }
}
