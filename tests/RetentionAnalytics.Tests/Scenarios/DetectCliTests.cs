using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>`ra detect` as an operator runs it: a summary on success, a non-zero exit and a clear message on a mistake.</summary>
public sealed class DetectCliTests : IDisposable
{
    private readonly DetectorWarehouse w = new();

    public DetectCliTests()
    {
        w.Feature("S1", new { value_tier = "high", arpu = 10m, arpu_avg_3m = 100.0 });
        w.Release();
    }

    public void Dispose() => w.Dispose();

    [Fact]
    public void Detect_runs_every_scenario_and_prints_a_summary_with_top_cities()
    {
        var output = RaCli.RunOk("detect", "--db", w.DatabasePath, "--period", "2026-10");
        Assert.Contains("s04_bill_drop", output);
        Assert.Contains("571: 1", output);
        // s13 reads the churn scores, which this world has none of: it is skipped and says why
        Assert.Contains("1 alert(s) in 19 scenario(s) for 2026-10; 0 failed, 1 skipped for missing extracts.", output.Replace("\n", " ").Replace("  ", " "));
    }

    [Fact]
    public void Detect_list_shows_scenarios_and_their_parameters()
    {
        var output = RaCli.RunOk("detect", "--db", w.DatabasePath, "--list");
        Assert.Contains("a4_snapshot_base_monitoring", output);
        Assert.Contains("    drop_pct=40  (percent, 1..99, default)", output);
        Assert.Contains("中高端话费突减预警", output);
    }

    [Theory]
    [InlineData("--scenario", "s99_nothing", "unknown scenario s99_nothing")]
    [InlineData("--period", "2030-01", "no data for period 2030-01")]
    [InlineData("--period", "October", "period 'October' is not a month in the form YYYY-MM")]
    public void Detect_refuses_an_unknown_scenario_or_period_with_a_non_zero_exit(string option, string value, string message)
    {
        var (exit, output) = RaCli.Run("detect", "--db", w.DatabasePath, option, value);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, output.Replace("\n", " ").Replace("  ", " "));
    }
}
