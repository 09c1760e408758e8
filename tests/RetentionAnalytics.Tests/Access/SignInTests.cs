using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Accounts;
using RetentionAnalytics.Portal.Features.Access;

namespace RetentionAnalytics.Tests.Access;

public sealed class SignInTests
{
    private const string Password = "Retention-2026";

    [Fact]
    public void The_demo_accounts_are_seeded_once_and_only_into_an_empty_account_table()
    {
        using var env = new AccountsOnWarehouse();

        Assert.Equal(9, env.Seed());
        Assert.Equal(0, env.Seed());

        var users = env.Accounts.List().ToDictionary(u => u.Username);
        Assert.Equal(["admin", "agent.hz1", "agent.hz2", "analyst", "leader", "manager.hz", "manager.nb", "supervisor.hz", "user"], users.Keys.Order());
        Assert.Equal(["574"], users["manager.nb"].Scope.Cities);
        Assert.False(users["manager.nb"].Scope.Province);
        Assert.True(users["leader"].Scope.Province);
        Assert.Equal("T571-RET", users["agent.hz1"].TeamId);
        Assert.Equal("T571-RET", users["supervisor.hz"].TeamId);
        Assert.All(users.Values, u => Assert.True(u.DemoSeed && u.MustChangePassword));
        // one retention and one account-manager team per city of the sample province, the agents in ops.agent
        Assert.Equal(22L, env.Warehouse.Scalar<long>("select count(*) from ops.team where regexp_matches(team_id, '^T5(7[0-9]|80)-(RET|AM)$')"));
        Assert.Equal(2L, env.Warehouse.Scalar<long>("select count(*) from ops.agent where team_id = 'T571-RET'"));
    }

    [Fact]
    public void No_demo_accounts_are_seeded_once_any_account_exists()
    {
        using var env = new AccountsOnWarehouse();
        env.Accounts.Create("admin", "first.admin", new AccountProfile("First", ["administrator"], true, [], null, "en"), "a-long-secret-1", mustChange: false);

        Assert.Equal(0, env.Seed());
        Assert.Null(env.Accounts.Find("leader"));
    }

    [Fact]
    public void Five_failures_lock_the_name_for_new_browsers_even_against_the_right_password_but_not_the_owners_browser()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), env.SignIn.Authenticate("leader", "wrong", $"203.0.113.{i}"));
        }
        Assert.False(env.Throttle.IsNameLocked("leader"));
        Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), env.SignIn.Authenticate("leader", "wrong", "203.0.113.9"));

        Assert.True(env.Throttle.IsNameLocked("leader"));
        Assert.Equal(new SignInOutcome.Failed("SignInLocked"), env.SignIn.Authenticate("leader", Password, "198.51.100.7"));
        // the stranger did not lock the owner out of the browser the owner signed in with before
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("leader", Password, "198.51.100.7", trustedDevice: "owners-browser"));
        Assert.False(env.Throttle.IsNameLocked("leader"));
        // another account is not affected
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("analyst", Password, "127.0.0.1"));
    }

    [Fact]
    public void An_unknown_name_answers_exactly_like_an_account_wrong_then_locked()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        var known = Enumerable.Range(0, 6).Select(i => env.SignIn.Authenticate("leader", "wrong", $"203.0.113.{i}")).ToList();
        var unknown = Enumerable.Range(0, 6).Select(i => env.SignIn.Authenticate("no.such.user", "wrong", $"203.0.114.{i}")).ToList();

        Assert.Equal(known, unknown);
        Assert.Equal(new SignInOutcome.Failed("SignInLocked"), unknown[^1]);
    }

    [Fact]
    public void Locks_grow_from_one_minute_and_end_by_themselves()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        void FailFive()
        {
            for (var i = 0; i < 5; i++)
            {
                env.SignIn.Authenticate("user", "wrong", "192.0.2.1");
            }
        }

        FailFive();
        Assert.True(env.Throttle.IsNameLocked("user"));
        env.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("User ", Password, "192.0.2.1"));

        // a success starts the doubling again; without one, the second lock lasts two minutes
        FailFive();
        env.Clock.Advance(TimeSpan.FromSeconds(61));
        FailFive();
        env.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(env.Throttle.IsNameLocked("user"));
        env.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.False(env.Throttle.IsNameLocked("user"));
    }

    [Fact]
    public void An_address_spraying_many_names_is_throttled_whichever_name_it_tries_next()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        for (var i = 0; i < env.Options.MaxFailedAttemptsPerAddress; i++)
        {
            env.SignIn.Authenticate($"name{i}", "Spring-2026!", "198.51.100.66");
        }

        Assert.Equal(new SignInOutcome.Failed("SignInThrottled"), env.SignIn.Authenticate("analyst", Password, "198.51.100.66"));
        Assert.Equal(new SignInOutcome.Failed("SignInThrottled"), env.SignIn.Authenticate("nobody", Password, "198.51.100.66"));
        // other addresses, and a browser the owner used before, are not held back
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("analyst", Password, "198.51.100.67"));
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("analyst", Password, "198.51.100.66", trustedDevice: "analysts-browser"));
    }

    [Fact]
    public void A_trusted_browser_is_locked_by_its_own_failures()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        for (var i = 0; i < 5; i++)
        {
            env.SignIn.Authenticate("leader", "wrong", "192.0.2.5", trustedDevice: "stolen");
        }

        // the device is no longer trusted; the name's own count was untouched, so a new browser still gets in
        Assert.Equal(new ThrottleVerdict.Allowed(), env.Throttle.Check("leader", "192.0.2.6", null));
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("leader", Password, "192.0.2.6"));
    }

    [Fact]
    public void The_audit_names_the_account_only_when_it_exists()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();

        env.SignIn.Authenticate("leader", "wrong", "127.0.0.1");
        env.SignIn.Authenticate("13800138000", "330102199001011234", "127.0.0.1");
        env.SignIn.Authenticate("张伟", "x", "127.0.0.1");
        env.SignIn.Authenticate("analyst", Password, "127.0.0.1");

        var rows = env.Audit.Query().Where(r => r.Action.StartsWith("sign_in", StringComparison.Ordinal))
            .OrderBy(r => r.AuditId).Select(r => (r.Username, r.Action, r.Outcome)).ToList();
        Assert.Equal([("leader", "sign_in_failed", "failed"), ("unknown", "sign_in_failed", "failed"), ("unknown", "sign_in_failed", "failed"), ("analyst", "sign_in", "ok")],
            rows.Select(r => (r.Username!, r.Action, r.Outcome)).ToList());
        var all = string.Join('\n', env.Warehouse.Query<string>("select concat_ws('|', username, action, target, outcome, detail, client_ip) from ops.audit_log"));
        Assert.DoesNotContain("13800138000", all);
        Assert.DoesNotContain("330102199001011234", all);
        Assert.DoesNotContain("张伟", all);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Demo_accounts_must_change_their_password_outside_demo_mode(bool demoMode, bool mustChange)
    {
        using var env = new AccountsOnWarehouse(demoMode);
        env.Seed();

        var outcome = Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("analyst", Password, null));

        Assert.Equal(mustChange, outcome.MustChangePassword);
        env.Accounts.ChangeOwnPassword("analyst", Password, "a-new-secret-42", null);
        Assert.False(Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("analyst", "a-new-secret-42", null)).MustChangePassword);
        Assert.IsType<SignInOutcome.Failed>(env.SignIn.Authenticate("analyst", Password, null));
    }

    [Fact]
    public void A_reset_password_works_once_given_and_must_be_changed_even_in_demo_mode()
    {
        using var env = new AccountsOnWarehouse(demoMode: true);
        env.Seed();

        var temporary = env.Accounts.ResetPassword("admin", "agent.hz2");

        Assert.IsType<SignInOutcome.Failed>(env.SignIn.Authenticate("agent.hz2", Password, null));
        Assert.True(Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("agent.hz2", temporary, null)).MustChangePassword);
        Assert.Contains(env.Audit.Query(action: "user_change"), e => e is { Username: "admin", Target: "agent.hz2", Detail: "password_reset" });
    }

    [Theory]
    [InlineData("short1", "PasswordTooShort")]
    [InlineData("elevenchars", "PasswordTooShort")]
    [InlineData("analyst-is-my-password", "PasswordTooWeak")]
    [InlineData("aaaaaaaaaaaaaaaaaaaa", "PasswordTooWeak")]
    [InlineData("abababababababab", "PasswordTooWeak")]
    [InlineData("password1234", "PasswordCommon")]
    [InlineData("Password1234", "PasswordCommon")]
    [InlineData("qwertyuiopasdf", "PasswordCommon")]
    [InlineData("123456789012", "PasswordCommon")]
    [InlineData("Retention-2026", "PasswordUnchanged")]
    public void Weak_new_passwords_are_refused(string next, string reason)
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();

        var ex = Assert.Throws<AccountException>(() => env.Accounts.ChangeOwnPassword("analyst", Password, next, null));

        Assert.Equal(reason, ex.ReasonKey);
    }

    [Fact]
    public void A_disabled_account_cannot_sign_in_and_its_open_sessions_end()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        var session = env.Sessions.Create("manager.hz", "127.0.0.1");
        Assert.True(env.Sessions.Check(session)!.IsValid);

        env.Accounts.SetDisabled("admin", "manager.hz", true);

        Assert.False(env.Sessions.Check(session)!.IsValid);
        Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), env.SignIn.Authenticate("manager.hz", Password, null));
        env.Accounts.SetDisabled("admin", "manager.hz", false);
        Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("manager.hz", Password, null));
        // a session ended stays ended
        Assert.False(env.Sessions.Check(session)!.IsValid);
    }

    [Fact]
    public void A_session_ends_when_signed_out_idle_too_long_or_past_its_absolute_end()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        var signedOut = env.Sessions.Create("leader", null);
        var idle = env.Sessions.Create("leader", null);
        var old = env.Sessions.Create("leader", null);
        var fresh = env.Sessions.Create("leader", null);

        env.Sessions.Revoke(signedOut, "sign_out");
        env.Warehouse.Scalar<long>($"update ops.app_session set last_seen_at = now() - interval {env.Options.IdleTimeoutMinutes + 1} minute where session_id = '{idle}'");
        env.Warehouse.Scalar<long>($"update ops.app_session set expires_at = now() - interval 1 second where session_id = '{old}'");

        Assert.False(env.Sessions.Check(signedOut)!.IsValid);
        Assert.False(env.Sessions.Check(idle)!.IsValid);
        Assert.False(env.Sessions.Check(old)!.IsValid);
        Assert.True(env.Sessions.Check(fresh)!.IsValid);
        Assert.Null(env.Sessions.Check("no-such-session"));
    }

    [Fact]
    public void Changing_the_password_ends_the_other_sessions_but_not_this_one()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();
        var here = env.Sessions.Create("user", null);
        var elsewhere = env.Sessions.Create("user", null);

        env.Accounts.ChangeOwnPassword("user", Password, "another-secret-7", here);

        Assert.True(env.Sessions.Check(here)!.IsValid);
        Assert.False(env.Sessions.Check(elsewhere)!.IsValid);
    }

    [Fact]
    public void A_role_or_scope_change_is_audited_with_old_and_new_values_and_no_display_name()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();

        env.Accounts.UpdateProfile("admin", "manager.nb",
            new AccountProfile("Wang Fang 13800138000", ["city_manager", "analyst"], false, ["574", "575"], null, "zh-Hans"));

        var entry = Assert.Single(env.Audit.Query(action: "role_change"));
        Assert.Equal(("admin", "manager.nb"), (entry.Username, entry.Target));
        Assert.Equal("roles=city_manager->analyst|city_manager;scope=574->574|575;display_name", entry.Detail);
        var user = env.Accounts.Find("manager.nb")!;
        Assert.Equal(RegionScope.ForCities(["574", "575"]).Cities, user.Scope.Cities);
        Assert.Equal("zh-Hans", user.PreferredLanguage);
    }

    [Theory]
    [InlineData("Bad Name")]
    [InlineData("x'; drop table ops.app_user; --")]
    [InlineData("")]
    public void Usernames_that_are_not_identifiers_are_refused(string username)
    {
        using var env = new AccountsOnWarehouse();

        var ex = Assert.Throws<AccountException>(() =>
            env.Accounts.Create("admin", username, new AccountProfile("x", ["user"], true, [], null, "en"), null, true));

        Assert.Equal("InvalidUsername", ex.ReasonKey);
    }

    [Fact]
    public void A_username_is_created_once()
    {
        using var env = new AccountsOnWarehouse();
        env.Seed();

        var ex = Assert.Throws<AccountException>(() =>
            env.Accounts.Create("admin", "Leader", new AccountProfile("x", ["user"], true, [], null, "en"), null, true));

        Assert.Equal("UsernameTaken", ex.ReasonKey);
        Assert.Equal(1L, env.Warehouse.Scalar<long>("select count(*) from ops.app_user where username = 'leader'"));
    }

    [Fact]
    public void An_account_without_scope_reads_nothing()
    {
        using var env = new AccountsOnWarehouse();
        env.Accounts.Create("admin", "no.scope", new AccountProfile("x", ["user"], false, [], null, "en"), null, true);

        Assert.True(env.Accounts.Find("no.scope")!.Scope.IsEmpty);
    }
}
