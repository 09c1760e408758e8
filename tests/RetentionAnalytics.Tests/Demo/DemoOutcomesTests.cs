using RetentionAnalytics.Core.Demo;

namespace RetentionAnalytics.Tests.Demo;

public sealed class DemoOutcomesTests
{
    private static readonly DateOnly June = new(2026, 6, 1);

    private static List<DemoCall> Calls(DemoOutcomes outcomes, bool gone, bool leaves) =>
        Enumerable.Range(0, 4000).Select(i => outcomes.Call(new MemberFuture($"S{i:D8}", gone, leaves), June, 1, isCallback: false)).ToList();

    [Fact]
    public void The_same_seed_draws_the_same_calls_and_another_seed_others()
    {
        Assert.Equal(Calls(new DemoOutcomes(42), false, false), Calls(new DemoOutcomes(42), false, false));
        Assert.NotEqual(Calls(new DemoOutcomes(42), false, false), Calls(new DemoOutcomes(7), false, false));
    }

    [Fact]
    public void Stayers_are_reached_and_kept_more_often_than_leavers_and_only_the_gone_are_already_churned()
    {
        var outcomes = new DemoOutcomes(42);
        var stayers = Calls(outcomes, gone: false, leaves: false);
        var leavers = Calls(outcomes, gone: false, leaves: true);
        var gone = Calls(outcomes, gone: true, leaves: true);
        static double Share(List<DemoCall> calls, Func<DemoCall, bool> what) => calls.Count(what) / (double)calls.Count;
        static bool Kept(DemoCall c) => c.Result is "retained" or "accepted_offer";

        Assert.InRange(Share(stayers, c => c.Outcome == "reached"), 0.55, 0.65);
        Assert.InRange(Share(leavers, c => c.Outcome == "reached"), 0.40, 0.50);
        Assert.True(Share(stayers, Kept) > 2 * Share(leavers, Kept));
        Assert.DoesNotContain(stayers.Concat(leavers), c => c.Result == "already_churned");
        Assert.Contains(gone, c => c.Result == "already_churned");
        Assert.All(stayers.Concat(leavers).Concat(gone).Where(c => c.Result is "refused" or "already_churned"), c => Assert.NotNull(c.ChurnReasonId));
        Assert.All(stayers.Where(c => c.Outcome != "reached"), c => Assert.Null(c.Result));
        Assert.All(stayers.Where(c => c.WantsCallback), c => Assert.Equal("will_consider", c.Result));
    }
}
