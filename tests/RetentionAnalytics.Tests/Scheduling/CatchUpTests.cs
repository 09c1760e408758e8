using Quartz;
using RetentionAnalytics.Portal.Features.Scheduling;

namespace RetentionAnalytics.Tests.Scheduling;

/// <summary>A nightly run missed while the portal was down catches up once at start: not never, not once per night.</summary>
public sealed class CatchUpTests
{
    private static readonly CronExpression Nightly = new("0 30 2 * * ?");
    private static DateTimeOffset Local(int day, int hour, int minute = 0) =>
        new(new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Local));

    [Fact]
    public void A_run_that_never_succeeded_is_due() =>
        Assert.True(CatchUp.IsDue(Nightly, Local(23, 9), lastSucceededAt: null));

    [Fact]
    public void Missed_nights_make_one_catch_up_due() =>
        Assert.True(CatchUp.IsDue(Nightly, Local(23, 9), new DateTime(2026, 11, 20, 2, 30, 5, DateTimeKind.Local)));

    [Fact]
    public void After_last_nights_run_nothing_is_due() =>
        Assert.False(CatchUp.IsDue(Nightly, Local(23, 9), new DateTime(2026, 11, 23, 2, 30, 1, DateTimeKind.Local)));

    [Fact]
    public void A_run_just_before_the_fire_time_does_not_count_for_that_night() =>
        Assert.True(CatchUp.IsDue(Nightly, Local(23, 9), new DateTime(2026, 11, 23, 2, 29, 0, DateTimeKind.Local)));
}
