using RetentionAnalytics.Core.Regions;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>
/// Quiet hours on the recipient's clock: the province in Asia/Shanghai (UTC+8), Ningbo (574) set to Asia/Urumqi (UTC+6)
/// for the test, the test clock in UTC like the machine's.
/// </summary>
public sealed class SmsQuietHoursZoneTests
{
    private static async Task WithWorld(RegionTimeOptions zones, Func<SmsWorld, Task> test)
    {
        var w = new SmsWorld(zones);
        await w.InitializeAsync();
        try
        {
            await test(w);
        }
        finally
        {
            await w.DisposeAsync();
        }
    }

    [Fact]
    public Task At_21_30_in_Hangzhou_a_message_waits_until_09_00_there_though_it_is_13_30_utc() =>
        WithWorld(new RegionTimeOptions { TimeZone = "Asia/Shanghai" }, async w =>
        {
            w.Clock.Now = new DateTime(2026, 11, 5, 13, 30, 0);
            w.Subscriber("S0001").Alert("s08", "S0001");
            w.Send();

            var run = await w.Dispatcher.RunAsync();

            Assert.Equal((0, 1), (run.Sent, run.Deferred));
            // 09:00 the next morning on the province's clock (01:00 UTC)
            Assert.Equal(new DateTime(2026, 11, 6, 9, 0, 0), w.Message("S0001").NextAttemptAt);

            w.Clock.Now = new DateTime(2026, 11, 6, 1, 0, 0);
            Assert.Equal(1, (await w.Dispatcher.RunAsync()).Sent);
        });

    [Fact]
    public Task A_city_with_its_own_zone_is_sent_to_while_the_province_is_quiet() =>
        WithWorld(new RegionTimeOptions { TimeZone = "Asia/Shanghai", CityTimeZones = { ["574"] = "Asia/Urumqi" } }, async w =>
        {
            // 21:30 in Hangzhou (quiet), 19:30 in the Ningbo of this test
            w.Clock.Now = new DateTime(2026, 11, 5, 13, 30, 0);
            w.Subscriber("S0001").Subscriber("S0002", city: "574").Alert("s08", "S0001", "S0002");
            w.Send(SmsWorld.ProvinceSupervisor);

            var run = await w.Dispatcher.RunAsync();

            Assert.Equal((1, 1), (run.Sent, run.Deferred));
            Assert.Equal("deferred", w.Message("S0001").Status);
            Assert.Equal("delivered", w.Message("S0002").Status);
        });

    [Fact]
    public Task A_city_in_its_quiet_hours_waits_until_they_end_on_its_own_clock() =>
        WithWorld(new RegionTimeOptions { TimeZone = "Asia/Shanghai", CityTimeZones = { ["574"] = "Asia/Urumqi" } }, async w =>
        {
            // 09:30 in Hangzhou (sending), 07:30 in the Ningbo of this test (quiet until 09:00 there = 11:00 in Hangzhou)
            w.Clock.Now = new DateTime(2026, 11, 5, 1, 30, 0);
            w.Subscriber("S0001").Subscriber("S0002", city: "574").Alert("s08", "S0001", "S0002");
            w.Send(SmsWorld.ProvinceSupervisor);

            var run = await w.Dispatcher.RunAsync();

            Assert.Equal((1, 1), (run.Sent, run.Deferred));
            Assert.Equal("delivered", w.Message("S0001").Status);
            Assert.Equal(new DateTime(2026, 11, 5, 11, 0, 0), w.Message("S0002").NextAttemptAt);
        });
}
