using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// IBM's public Telco churn sample, loaded through its extract contract like any ODS delivery, must reproduce the
/// published facts: data the product did not generate, with a real-world bad value (blank TotalCharges).
/// </summary>
public sealed class TelcoChurnLoadTests
{
    public static string SampleFile => Path.Combine(WarehouseOptions.FindRepositoryRoot()!, "data-samples", "ibm-telco", "telco_churn_20260101.csv");

    [Fact]
    public void The_ibm_sample_loads_completely_and_reproduces_its_published_facts()
    {
        using var w = new TestWarehouse();

        var result = w.Loader.LoadFile(SampleFile);

        Assert.Equal("loaded", result.Status);
        Assert.Equal(7043, result.RowsRead);
        Assert.Equal(7043, result.RowsLoaded);
        Assert.Equal(0, result.RowsRejected);
        Assert.Equal(1869, w.Scalar<long>("select count(*) from stg.telco_churn where status = 'churned'"));
        Assert.Equal(26.54, w.Scalar<double>("select round(100.0 * avg((status = 'churned')::int), 2) from stg.telco_churn"));
        var byContract = w.Query<(string Contract, long Customers, double Rate)>("""
            select plan_code, count(*), round(100.0 * avg((status = 'churned')::int), 2) from stg.telco_churn group by plan_code order by plan_code
            """);
        Assert.Equal([("Month-to-month", 3875L, 42.71), ("One year", 1473L, 11.27), ("Two year", 1695L, 2.83)], byContract);
        Assert.Equal(11, w.Scalar<long>("select count(*) from stg.telco_churn where total_charges is null"));
        Assert.Equal(0, w.Scalar<long>("select count(*) from stg.telco_churn where total_charges is null and tenure_months <> 0"));
    }
}
