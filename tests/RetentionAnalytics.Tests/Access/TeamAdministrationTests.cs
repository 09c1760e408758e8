using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Portal.Features.Accounts;
using RetentionAnalytics.Portal.Features.Admin;
using RetentionAnalytics.Portal.Features.Warehouse;

namespace RetentionAnalytics.Tests.Access;

public sealed class TeamAdministrationTests
{
    /// <summary>The administrators' service over the accounts' warehouse, as the portal wires it (no scheduler).</summary>
    internal static AdminQueries Admin(AccountsOnWarehouse env) =>
        new(env.Warehouse.Db, new WarehouseCatalog(env.Warehouse.Db), env.Audit, schedulers: null!, new TeamRecords(env.Warehouse.Db));

    [Fact]
    public void A_team_id_is_created_once_and_a_change_keeps_one_row_and_is_audited()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        var admin = Admin(env);

        var ex = Assert.Throws<AccountException>(() =>
            admin.SaveTeam("admin", new TeamRow { TeamId = "T571-RET", Name = "again", Kind = "retention" }, isNew: true, null));
        admin.SaveTeam("admin", new TeamRow { TeamId = "T571-RET", Name = "Hangzhou retention", Kind = "retention", CityCode = "571", ValueTiers = "mid,high", Active = true }, isNew: false, null);
        admin.SaveTeam("admin", new TeamRow { TeamId = "T571-CB", Name = "Hangzhou callbacks", Kind = "callback", CityCode = "571" }, isNew: true, null);

        Assert.Equal("TeamTaken", ex.ReasonKey);
        var teams = admin.Teams().Where(t => t.TeamId.StartsWith("T571", StringComparison.Ordinal)).ToDictionary(t => t.TeamId);
        Assert.Equal(["T571-AM", "T571-CB", "T571-RET"], teams.Keys.Order());
        Assert.Equal(("Hangzhou retention", "high,mid", 2L, 50L), (teams["T571-RET"].Name, teams["T571-RET"].ValueTiers, teams["T571-RET"].Agents, teams["T571-RET"].Capacity));
        Assert.Equal(2, env.Audit.Query(action: "team_change").Count);
    }

    [Theory]
    [InlineData("T 571", "retention")]
    [InlineData("T571-X", "sales")]
    public void A_team_with_an_unusable_id_or_kind_is_refused(string teamId, string kind)
    {
        using var env = new AccountsOnWarehouse();

        var ex = Assert.Throws<AccountException>(() =>
            Admin(env).SaveTeam("admin", new TeamRow { TeamId = teamId, Name = "x", Kind = kind }, isNew: true, null));

        Assert.Equal("InvalidTeam", ex.ReasonKey);
    }
}
