using RetentionAnalytics.Portal.Features.Cluster;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// When a node serves: a node that becomes the writer only once it has caught up with the previous writer (the newest
/// build and the agents' journal) for the term it took, even when it lost the role and took it again meanwhile.
/// </summary>
public sealed class WriterRoleTests
{
    [Fact]
    public void A_new_writer_serves_only_once_it_has_caught_up_for_the_term_it_holds()
    {
        var role = WriterRole.Clustered("node2", hotStandby: true);
        Assert.False(role.Serves);

        Assert.True(role.Renewed(TimeSpan.FromMinutes(1)));
        var first = role.Term;
        Assert.True(role.IsWriter);
        Assert.False(role.Serves);
        var lost = role.WhenNoLongerWriter(first, CancellationToken.None);
        role.CaughtUp(first);
        Assert.True(role.Serves);
        Assert.False(role.Renewed(TimeSpan.FromMinutes(1)), "a renewal is not a new term");
        Assert.True(role.Serves);
        Assert.False(lost.IsCompleted);

        // the role is lost and taken again while the first term's work still runs
        role.Lost("node1");
        Assert.True(lost.IsCompleted);
        Assert.False(role.Serves);
        Assert.True(role.Renewed(TimeSpan.FromMinutes(1)));
        Assert.NotEqual(first, role.Term);
        // the first term's catch-up ending late opens nothing; waiting on the first term returns at once
        role.CaughtUp(first);
        Assert.False(role.Serves);
        Assert.True(role.WhenNoLongerWriter(first, CancellationToken.None).IsCompleted);
        role.CaughtUp(role.Term);
        Assert.True(role.Serves);
    }

    [Fact]
    public void Without_the_hot_standby_every_node_serves_and_one_process_always_does()
    {
        var reader = WriterRole.Clustered("node2", hotStandby: false);
        Assert.True(reader.Serves);
        Assert.Equal("reader", reader.Name);

        var alone = WriterRole.Alone();
        Assert.True(alone.Serves);
        Assert.True(alone.IsWriter);
    }
}

public sealed class StandbyReadersTests
{
    [Theory]
    [InlineData(true, new[] { "leader" }, true)]
    [InlineData(true, new[] { "analyst", "city_manager", "user" }, true)]
    [InlineData(true, new[] { "leader", "agent" }, false)]
    [InlineData(true, new[] { "analyst", "administrator" }, false)]
    [InlineData(true, new[] { "supervisor" }, false)]
    [InlineData(true, new string[0], false)]
    [InlineData(false, new[] { "leader" }, false)]
    public void A_standby_serves_a_signed_in_user_only_when_every_role_only_reads(bool signedIn, string[] roles, bool served)
    {
        var identity = new System.Security.Claims.ClaimsIdentity(
            roles.Select(r => new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, r)), signedIn ? "cookie" : null);

        Assert.Equal(served, RetentionAnalytics.Portal.Features.Cluster.StandbyGate.OnlyReads(new System.Security.Claims.ClaimsPrincipal(identity)));
    }
}
