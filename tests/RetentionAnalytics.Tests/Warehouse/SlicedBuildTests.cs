using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// A model declared with <c>-- slices:</c> (the serving profile) is built in full one slice of subscribers at a time, so
/// that its aggregation never holds a province's whole history: the slices together make the same table, with its index.
/// </summary>
public sealed class SlicedBuildTests(SampleProvinceFixture f) : IClassFixture<SampleProvinceFixture>
{
    private static string Profile(TestWarehouse w) => w.Scalar<string>("""
        select count(*) || ':' || md5(string_agg(cast(p as varchar), '|' order by p.subscriber_id))
        from mart.subscriber_profile as p
        """);

    [Fact]
    public void A_full_build_in_eight_slices_makes_the_same_serving_profile_as_one_slice()
    {
        using var w = f.CopyWith(new OpsOptions());
        var oneSlice = Profile(w);
        var subscribers = w.Scalar<long>("select count(distinct subscriber_id) from dw.dim_subscriber");

        var build = new TransformRunner(w.Db, w.Contracts).Build(BuildRequest.Full with { SliceKeys = (int)(subscribers / 8) + 1 });

        var profile = Assert.Single(build.Models, m => m.Model == "mart.subscriber_profile");
        Assert.Equal("full", profile.Mode);
        Assert.Equal(oneSlice, Profile(w));
        Assert.StartsWith(w.Scalar<long>("select count(*) from dw.dim_subscriber where is_current") + ":", oneSlice, StringComparison.Ordinal);
        Assert.Equal(1L, w.Scalar<long>(
            "select count(*) from duckdb_indexes() where schema_name = 'mart' and table_name = 'subscriber_profile'"));
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
    public void Slices_declared_per_memory_scale_with_the_memory_duckdb_has(string slices, long duckDbMemory, int keys) =>
        Assert.Equal(keys, Declared(slices).KeysPerSlice(duckDbMemory));

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
}
