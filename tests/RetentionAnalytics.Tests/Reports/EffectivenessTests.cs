using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class EffectivenessTests(ReportsFixture f)
{
    private sealed record Member(string MemberGroup, bool Retained30, bool Retained60, bool Retained90);

    /// <summary>
    /// Given the seeded campaign's members and their month-end snapshots 1, 2 and 3 months later, the report's rates,
    /// difference and 95% interval equal the textbook difference of two proportions: (p1 − p2) ± 1.96·√(p1q1/n1 + p2q2/n2).
    /// </summary>
    [Fact]
    public void Treated_and_control_retention_with_the_difference_and_its_95_percent_interval()
    {
        var period = f.LatestMonth.AddMonths(-3);
        var members = f.Warehouse.Query<Member>("""
            select m.member_group as MemberGroup,
                   coalesce((select is_active from dw.fct_subscriber_month x where x.subscriber_id = m.subscriber_id and x.month = $m1), false) as Retained30,
                   coalesce((select is_active from dw.fct_subscriber_month x where x.subscriber_id = m.subscriber_id and x.month = $m2), false) as Retained60,
                   coalesce((select is_active from dw.fct_subscriber_month x where x.subscriber_id = m.subscriber_id and x.month = $m3), false) as Retained90
            from ops.campaign_member m where m.campaign_id = $id
            """, new { id = ReportsFixture.EvaluatedCampaignId, m1 = period.AddMonths(1), m2 = period.AddMonths(2), m3 = period.AddMonths(3) });

        var result = f.Engine.Run("effectiveness", new Dictionary<string, string>(), ReportsFixture.Analyst);
        var rows = result.Rows.Where(r => r.Kind == ExportRowKind.Data && (long?)r.Cells[result.Column("campaign_id").Index] == ReportsFixture.EvaluatedCampaignId).ToList();

        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            var horizon = (long)row.Cells[result.Column("horizon_days").Index]!;
            Func<Member, bool> retained = horizon switch { 30 => m => m.Retained30, 60 => m => m.Retained60, _ => m => m.Retained90 };
            var treated = members.Where(m => m.MemberGroup == "treated").ToList();
            var control = members.Where(m => m.MemberGroup == "control").ToList();
            double p1 = treated.Count(retained) / (double)treated.Count, p2 = control.Count(retained) / (double)control.Count;
            var se = Math.Sqrt(p1 * (1 - p1) / treated.Count + p2 * (1 - p2) / control.Count);

            Assert.Equal((long)treated.Count, row.Cells[result.Column("treated").Index]);
            Assert.Equal((long)control.Count, row.Cells[result.Column("control").Index]);
            Assert.Equal(p1, (double)row.Cells[result.Column("treated_rate").Index]!, 9);
            Assert.Equal(p2, (double)row.Cells[result.Column("control_rate").Index]!, 9);
            Assert.Equal(p1 - p2, (double)row.Cells[result.Column("difference").Index]!, 9);
            Assert.Equal(p1 - p2 - 1.959964 * se, (double)row.Cells[result.Column("ci_low").Index]!, 9);
            Assert.Equal(p1 - p2 + 1.959964 * se, (double)row.Cells[result.Column("ci_high").Index]!, 9);
        }
        Assert.Contains(members, m => !m.Retained90);
    }

    [Fact]
    public void A_campaign_whose_horizon_month_is_not_loaded_yet_shows_no_rows_for_that_horizon()
    {
        var result = f.Engine.Run("effectiveness", new Dictionary<string, string>(), ReportsFixture.Analyst);
        var newest = f.Warehouse.Query<long>("select campaign_id from ops.campaign where period = $p", new { p = f.LatestMonth });

        Assert.NotEmpty(newest);
        Assert.DoesNotContain(result.Rows, r => r.Kind == ExportRowKind.Data && newest.Contains((long)r.Cells[result.Column("campaign_id").Index]!));
    }

    /// <summary>A campaign's name is its title in the reader's language (subject and month), as the workbench shows it.</summary>
    [Fact]
    public void Campaigns_are_named_in_the_readers_language()
    {
        string Title(string lang) => f.Warehouse.Scalar<string>(
            "select title from ops.campaign_title where campaign_id = $id and lang = $lang", new { id = ReportsFixture.EvaluatedCampaignId, lang })!;
        string Shown(string lang)
        {
            var result = f.Engine.Run("effectiveness", new Dictionary<string, string>(), ReportsFixture.Analyst with { Language = lang });
            return (string)result.Rows.First(r => r.Kind == ExportRowKind.Data
                && (long?)r.Cells[result.Column("campaign_id").Index] == ReportsFixture.EvaluatedCampaignId).Cells[result.Column("campaign_name").Index]!;
        }

        Assert.Equal(Title("zh"), Shown("zh"));
        Assert.Equal(Title("de"), Shown("de"));
        Assert.NotEqual(Shown("en"), Shown("zh"));
    }
}
