using System.Net;
using RetentionAnalytics.Portal.Features.Access;

namespace RetentionAnalytics.Tests.Access;

public sealed class IpAllowListTests
{
    [Theory]
    [InlineData("10.20.30.40", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("192.168.1.7", true)]
    [InlineData("192.168.1.8", false)]
    [InlineData("2001:db8:abcd::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("127.0.0.1", false)]
    public void Only_addresses_inside_the_configured_ranges_are_allowed(string address, bool allowed)
    {
        var list = new IpAllowList(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"]);

        Assert.Equal(allowed, list.Allows(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_empty_list_allows_everyone_and_a_missing_address_only_then()
    {
        Assert.True(new IpAllowList([]).Allows(IPAddress.Parse("203.0.113.5")));
        Assert.True(new IpAllowList([]).Allows(null));
        Assert.False(new IpAllowList(["127.0.0.0/8"]).Allows(null));
    }

    [Fact]
    public void A_range_that_is_not_an_address_stops_the_portal_at_start()
    {
        Assert.Throws<InvalidOperationException>(() => new IpAllowList(["10.0.0.0/33x"]));
    }
}
