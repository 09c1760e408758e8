using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// Calling hours and callbacks on the customer's clock: the province's zone (Asia/Shanghai, UTC+8), a city with a zone
/// of its own (Ningbo set to Asia/Urumqi, UTC+6, for the test), whatever zone the server runs in. The test clock is UTC
/// like the machine's.
/// </summary>
public sealed class RegionTimeTests
{
    private static readonly RegionTimeOptions Shanghai = new() { TimeZone = "Asia/Shanghai" };
    private static readonly RegionTimeOptions NingboOwnZone = new() { TimeZone = "Asia/Shanghai", CityTimeZones = { ["574"] = "Asia/Urumqi" } };

    private static readonly Actor Hz1 = WorkbenchWorld.Agent("agent.hz1");
    private static readonly Actor Nb1 = WorkbenchWorld.Agent("agent.574.1", RegionScope.ForCities(["574"]));

    [Fact]
    public void A_call_at_15_51_in_Hangzhou_is_saved_although_the_server_reads_07_51_utc()
    {
        using var w = new WorkbenchWorld(zones: Shanghai);
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        w.Clock.Utc = new DateTime(2026, 11, 5, 7, 51, 0);

        var saved = w.Agents.Record(Hz1, new OutcomeInput(task, "no_answer"));

        Assert.Equal("assigned", saved.Status);
        // stored on the province's wall clock, as the warehouse's own times are
        Assert.Equal(new DateTime(2026, 11, 5, 15, 51, 0), w.W.Scalar<DateTime>("select contact_time from ops.contact"));
    }

    [Theory]
    [InlineData(0, 59, false)]   // 08:59 in Hangzhou
    [InlineData(1, 0, true)]     // 09:00
    [InlineData(12, 59, true)]   // 20:59
    [InlineData(13, 0, false)]   // 21:00
    [InlineData(18, 0, false)]   // 02:00 next day, though 18:00 would be inside the hours in UTC
    public void Calling_hours_are_the_customers_local_time(int utcHour, int minute, bool allowed)
    {
        using var w = new WorkbenchWorld(zones: Shanghai);
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        w.Clock.Utc = new DateTime(2026, 11, 5, utcHour, minute, 0);

        var call = () => w.Agents.Record(Hz1, new OutcomeInput(task, "busy"));

        if (allowed)
        {
            Assert.Equal("assigned", call().Status);
        }
        else
        {
            Assert.Equal("outside_calling_hours", Assert.Throws<WorkbenchException>(call).Code);
            Assert.Equal(0, w.State(task).Attempts);
        }
    }

    [Fact]
    public void A_city_with_its_own_zone_keeps_its_own_calling_hours()
    {
        using var w = new WorkbenchWorld(zones: NingboOwnZone);
        var campaign = w.Campaign();
        var hangzhou = w.Tasks(campaign, 1, agents: ["agent.hz1"]).Single();
        var ningbo = w.Tasks(campaign, 1, city: "574", agents: ["agent.574.1"], prefix: "N", team: "T574-RET").Single();
        w.Agents.Open(Hz1, hangzhou);
        w.Agents.Open(Nb1, ningbo);
        // 21:30 in Hangzhou, 19:30 in the Ningbo of this test
        w.Clock.Utc = new DateTime(2026, 11, 5, 13, 30, 0);

        Assert.Equal("outside_calling_hours", Assert.Throws<WorkbenchException>(() => w.Agents.Record(Hz1, new OutcomeInput(hangzhou, "busy"))).Code);
        Assert.Equal("assigned", w.Agents.Record(Nb1, new OutcomeInput(ningbo, "busy")).Status);
        // the contact is stored on the province's clock
        Assert.Equal(new DateTime(2026, 11, 5, 21, 30, 0), w.W.Scalar<DateTime>("select contact_time from ops.contact"));
    }

    [Fact]
    public void A_callback_is_agreed_in_the_customers_time_and_stored_on_the_province_clock()
    {
        using var w = new WorkbenchWorld(zones: NingboOwnZone);
        var ningbo = w.Tasks(w.Campaign(), 1, city: "574", agents: ["agent.574.1"], prefix: "N", team: "T574-RET").Single();
        w.Agents.Open(Nb1, ningbo);
        w.Clock.Utc = new DateTime(2026, 11, 5, 3, 0, 0);   // 09:00 in Ningbo

        // 20:30 local is inside the calling hours there (22:30 in Hangzhou, where it would be refused)
        var saved = w.Agents.Record(Nb1, new OutcomeInput(ningbo, "busy", CallbackAt: new DateTime(2026, 11, 6, 20, 30, 0)));

        Assert.Equal("callback", saved.Status);
        Assert.Equal(new DateTime(2026, 11, 6, 22, 30, 0), w.State(ningbo).CallbackAt);
        Assert.Equal(new DateTime(2026, 11, 6, 20, 30, 0), w.Region.ToLocal(w.State(ningbo).CallbackAt!.Value, "574"));
    }

    [Fact]
    public void A_callback_earlier_than_the_customers_now_is_refused()
    {
        using var w = new WorkbenchWorld(zones: Shanghai);
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        w.Clock.Utc = new DateTime(2026, 11, 5, 6, 0, 0);   // 14:00 in Hangzhou

        // 10:00 is still to come on a UTC clock, but has passed in Hangzhou
        var call = () => w.Agents.Record(Hz1, new OutcomeInput(task, "busy", CallbackAt: new DateTime(2026, 11, 5, 10, 0, 0)));

        Assert.Equal("callback_in_quiet_hours", Assert.Throws<WorkbenchException>(call).Code);
    }

    [Fact]
    public void An_unknown_zone_stops_the_start_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new RegionClock(new RegionTimeOptions { CityTimeZones = { ["571"] = "Mars/Olympus" } }, TimeProvider.System));

        Assert.Contains("Region:CityTimeZones:571", error.Message);
    }
}
