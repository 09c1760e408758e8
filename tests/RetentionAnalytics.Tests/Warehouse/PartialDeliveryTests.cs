using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

public sealed class PartialDeliveryTests
{
    [Fact]
    public void A_warehouse_with_only_some_extracts_delivered_still_builds()
    {
        using var w = new TestWarehouse();
        var inbox = w.Inbox();
        foreach (var name in new[] { "region_20261031.csv", "plan_20261031.csv", "channel_20261031.csv", "subscription_20261031.csv" })
        {
            File.Copy(Path.Combine(SampleProvinceFixture.SampleFolder, name), Path.Combine(inbox, name));
        }

        var result = new DailyPipeline(w.Loader, new TransformRunner(w.Db, w.Contracts), w.Quality, []).Run(inbox, null, CancellationToken.None);

        Assert.True(result.TransformsRun > 0);
        Assert.Equal(
            w.Scalar<long>("select count(*) from stg.subscription"),
            w.Scalar<long>("select count(*) from dw.fct_subscriber_month"));
        Assert.Equal(0, w.Scalar<long>("select count(*) from dw.fct_bill"));
    }
}
