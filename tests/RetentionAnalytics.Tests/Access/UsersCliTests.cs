using System.Text.Json;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Access;

/// <summary>
/// Issue 14 item 5: accounts without the portal. The real <c>ra</c> process on a real warehouse file: <c>ra init</c>
/// seeds the demo accounts in demo mode, <c>ra users</c> adds, lists, disables and resets with the portal's password
/// rule, and a password never travels as an argument.
/// </summary>
public sealed class UsersCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ra-users-").FullName;
    private string Db => Path.Combine(_folder, "w.duckdb");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private List<JsonElement> Users()
    {
        using var doc = JsonDocument.Parse(RaCli.RunOk("users", "list", "--json", "--db", Db));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void Ra_init_seeds_the_demo_accounts_in_demo_mode_so_a_report_can_be_rendered_for_them()
    {
        var output = RaCli.RunOk("init", "--db", Db);

        Assert.Contains("9 demo accounts", output);
        var users = Users();
        Assert.Equal(["admin", "agent.hz1", "agent.hz2", "analyst", "leader", "manager.hz", "manager.nb", "supervisor.hz", "user"],
            users.Select(u => u.GetProperty("username").GetString()));
        // demo mode: they sign in without changing the documented password, so no "must change" on them
        Assert.All(users, u => Assert.False(u.GetProperty("mustChangePassword").GetBoolean()));
        // the account is there for ra report (an empty warehouse has no report data yet, but no missing account)
        var (_, report) = RaCli.Run("report", "kpi_overview", "--as", "leader", "--out", Path.Combine(_folder, "k.csv"), "--db", Db);
        Assert.DoesNotContain("no account", report);
        // a second init adds nothing
        Assert.DoesNotContain("demo accounts", RaCli.RunOk("init", "--db", Db));
    }

    [Fact]
    public void Ra_users_adds_disables_and_resets_with_the_portals_password_rule()
    {
        RaCli.RunOk("init", "--db", Db);

        var (weak, said) = RaCli.RunWithInput("aaaaaaaaaaaaaa\n", "users", "add", "ops.admin", "--role", "administrator", "--province", "--password-stdin", "--db", Db);
        Assert.Equal(1, weak);
        Assert.Contains("may not contain the username", said);
        var (common, saidCommon) = RaCli.RunWithInput("Password1234\n", "users", "add", "ops.admin", "--role", "administrator", "--province", "--password-stdin", "--db", Db);
        Assert.Equal(1, common);
        Assert.Contains("commonly used", saidCommon);
        var (added, _) = RaCli.RunWithInput("blue lantern walks 42 rivers\n", "users", "add", "ops.admin", "--role", "administrator", "--province", "--name", "Operations admin", "--password-stdin", "--db", Db);
        Assert.Equal(0, added);

        var temporary = RaCli.RunOk("users", "reset-password", "agent.hz2", "--temporary", "--db", Db);
        Assert.Matches("Tmp-[A-Za-z0-9]{12}", temporary);
        RaCli.RunOk("users", "disable", "manager.nb", "--db", Db);
        // without a terminal and without --password-stdin or --temporary nothing is asked and nothing changes
        var (noTerminal, explained) = RaCli.RunWithInput("", "users", "reset-password", "analyst", "--db", Db);
        Assert.Equal(1, noTerminal);
        Assert.Contains("--password-stdin", explained);
        // there is no option that takes a password
        Assert.NotEqual(0, RaCli.Run("users", "add", "x.y", "--role", "user", "--province", "--password", "secret-on-the-command-line", "--db", Db).ExitCode);

        var users = Users().ToDictionary(u => u.GetProperty("username").GetString()!);
        Assert.Equal("Operations admin", users["ops.admin"].GetProperty("displayName").GetString());
        Assert.False(users["ops.admin"].GetProperty("mustChangePassword").GetBoolean());
        Assert.True(users["agent.hz2"].GetProperty("mustChangePassword").GetBoolean());
        Assert.True(users["manager.nb"].GetProperty("disabled").GetBoolean());
        Assert.False(users.ContainsKey("x.y"));

        using var db = Core.Warehouse.Db.Open(new WarehouseOptions { DatabasePath = Db });
        var audit = new AuditLog(db).Query(action: "user_change");
        Assert.Contains(audit, e => e is { Username: "cli", Target: "ops.admin" } && e.Detail!.StartsWith("created", StringComparison.Ordinal));
        Assert.Contains(audit, e => e is { Username: "cli", Target: "agent.hz2", Detail: "password_reset" });
        Assert.Contains(audit, e => e is { Username: "cli", Target: "manager.nb", Detail: "disabled" });
        var everything = string.Join('\n', audit.Select(e => e.Detail));
        Assert.DoesNotContain("blue lantern", everything);
    }
}
