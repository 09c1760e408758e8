using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Demo;
using RetentionAnalytics.Core.Model;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Demo;

/// <summary>The sample province in a warehouse that is not a demo: every month scored, and no invented work.</summary>
[Collection(PlainCollection.Name)]
public sealed class PlainWarehouseTests(PlainWarehouseFixture plain, ITestOutputHelper output)
{
    [Fact]
    public void Without_the_demo_mark_the_pipeline_makes_no_demo_data()
    {
        output.WriteLine($"pipeline in {plain.SeedTime.TotalSeconds:N0} s: {plain.SeedOutput}");

        Assert.Null(plain.Services.GetRequiredService<DemoWarehouse>().State());
        Assert.Contains("demo history: none to make", plain.Result.StepSummaries.Select(s => s.ToString()));
        Assert.Equal(0, plain.Scalar<long>("select count(*) from meta.demo_history"));
        Assert.Equal(0, plain.Scalar<long>("select count(*) from ops.campaign where demo or created_by = $creator", new { creator = DemoHistory.Creator }));
        Assert.Equal(0, plain.Scalar<long>("select count(*) from ops.contact"));
        // the pipeline's own lists are the newest month's, nothing in the past
        Assert.Equal([new DateOnly(2026, 10, 1)], plain.Query<DateTime>("select distinct period from ops.campaign").Select(DateOnly.FromDateTime));
        // and asking for the demo's past explicitly changes nothing either
        Assert.Empty(plain.Services.GetRequiredService<DemoHistory>().Seed());
        Assert.Throws<InvalidOperationException>(() => plain.Services.GetRequiredService<DemoWarehouse>().Mark("test", 4));
    }

    [Fact]
    public void Every_month_with_features_is_scored_once_and_a_retrained_model_scores_them_all_again()
    {
        const string Coverage = """
            select count(*) from (
                select month, count(*) as n from mart.mart_subscriber_features where status <> 'churned' group by month
            ) f
            left join (select period, count(*) as n, count(distinct subscriber_id) as d from det.churn_score group by period) s
                on s.period = f.month
            where s.n is distinct from f.n or s.d is distinct from f.n
            """;
        var models = plain.Services.GetRequiredService<ChurnModels>();
        var scorer = plain.Services.GetRequiredService<ChurnScorer>();
        var months = plain.Scalar<long>("select count(distinct month) from mart.mart_subscriber_features");

        Assert.Equal(13, months);
        Assert.Equal(0, plain.Scalar<long>(Coverage));
        Assert.Empty(scorer.ScoreUnscored());

        var retrained = plain.Services.GetRequiredService<ChurnTrainer>().Train(FeatureSpec.Province, new TimeSplit());
        var rescored = scorer.ScoreUnscored();

        Assert.Equal(months, rescored.Count);
        Assert.All(rescored, r => Assert.Equal(retrained.ModelId, r.ModelId));
        Assert.Equal(0, plain.Scalar<long>(Coverage));
        Assert.Equal([retrained.ModelId], plain.Query<string>("select distinct model_id from det.churn_score"));
        Assert.Equal(retrained.ModelId, models.Active(FeatureSpec.Province.FeatureSet)!.ModelId);
        // a month whose subscribers changed (a corrected delivery) is scored again; the others are left alone
        plain.Scalar<long>("delete from det.churn_score where period = '2026-03-01' and subscriber_id in (select subscriber_id from det.churn_score where period = '2026-03-01' limit 3)");
        Assert.Equal([new DateOnly(2026, 3, 1)], scorer.ScoreUnscored().Select(r => r.Period));
        Assert.Equal(0, plain.Scalar<long>(Coverage));
    }
}
