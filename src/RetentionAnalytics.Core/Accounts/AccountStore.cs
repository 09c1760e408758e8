using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Accounts;

/// <summary>
/// The one writer of ops.app_user (and of the agent records it keeps in step), for the portal and the command line:
/// keeps usernames unique, checks new passwords against <see cref="PasswordPolicy"/>, hashes them with ASP.NET Core
/// Identity's PasswordHasher, ends the account's sessions when its password or status changes, and audits every
/// change by identifiers only (never the display name or a password). SQL in sql/access.
/// </summary>
public sealed partial class AccountStore(Db db, AuditLog audit, PasswordPolicy policy, TeamRecords? teams = null)
{
    private readonly TeamRecords _teams = teams ?? new TeamRecords(db);
    private static readonly Lock WriteLock = new();
    private readonly PasswordHasher<AppUser> _hasher = new();

    // the account SQL names its columns in snake_case, whatever the host's global Dapper setting
    static AccountStore() => SqlMapper.SetTypeMap(typeof(AppUser), new CustomPropertyTypeMap(typeof(AppUser),
        (type, column) => type.GetProperty(column.Replace("_", "", StringComparison.Ordinal),
            System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)!));

    // a hash of a random password: an unknown or unusable account costs the same verification as a real one
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<AppUser>().HashPassword(new AppUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public PasswordPolicy Policy => policy;

    /// <summary>Usernames are lower-case identifiers; the typed name is refused before it reaches SQL or a directory.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{0,63}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex("^[0-9A-Za-z]{1,16}$")]
    private static partial Regex CodePattern();

    public static string Normalize(string? typed) => (typed ?? "").Trim().ToLowerInvariant();

    public static bool IsValidUsername(string username) => UsernamePattern().IsMatch(username);

    public long Count()
    {
        using var c = db.Ops.Connect();
        return c.ExecuteScalar<long>(db.Ops.Sql.Get("access/user_count.sql"));
    }

    public AppUser? Find(string username)
    {
        if (!IsValidUsername(username))
        {
            return null;
        }
        using var c = db.Ops.Connect();
        return WithAgentRecords(c.Query<AppUser>(db.Ops.Sql.Get("access/user_list.sql"), new { username }).ToList()).FirstOrDefault();
    }

    public IReadOnlyList<AppUser> List()
    {
        using var c = db.Ops.Connect();
        return WithAgentRecords(c.Query<AppUser>(db.Ops.Sql.Get("access/user_list.sql"), new { username = (string?)null }).ToList());
    }

    /// <summary>Creates a local account. <paramref name="password"/> null: a random one (returned) that must be changed.</summary>
    public string Create(string actor, string username, AccountProfile profile, string? password, bool mustChange,
        bool demoSeed = false, string? clientIp = null)
    {
        username = Normalize(username);
        if (!IsValidUsername(username))
        {
            throw new AccountException("InvalidUsername");
        }
        var roles = AccountText.ValidRoles(profile.Roles);
        var initial = password ?? NewTemporaryPassword();
        // the demo seed's password is the documented one the policy refuses for everyone else
        if (password is not null && !demoSeed)
        {
            policy.Check(username, password);
        }
        lock (WriteLock)
        {
            if (Find(username) is not null)
            {
                throw new AccountException("UsernameTaken");
            }
            using var c = db.Ops.Connect();
            c.Execute(db.Ops.Sql.Get("access/user_insert.sql"), new
            {
                username,
                display_name = CleanDisplayName(profile.DisplayName, username),
                password_hash = _hasher.HashPassword(new AppUser { Username = username }, initial),
                source = AccountSources.Local,
                roles = string.Join(',', roles),
                scope_province = profile.Province,
                scope_cities = profile.Province ? null : AccountText.JoinList(ValidCodes(profile.Cities)),
                team_id = NullIfEmpty(profile.TeamId),
                preferred_language = Language(profile.PreferredLanguage),
                must_change_password = mustChange,
                demo_seed = demoSeed,
            });
        }
        audit.Write(actor, "user_change", username, detail: $"created;roles={string.Join('|', roles)};scope={ScopeText(profile)}", clientIp: clientIp);
        return initial;
    }

    /// <summary>Changes name, roles, scope, team and language; role and scope changes are audited with old and new values.</summary>
    public void UpdateProfile(string actor, string username, AccountProfile profile, string? clientIp = null)
    {
        var before = Find(username) ?? throw new AccountException("UnknownAccount");
        var roles = AccountText.ValidRoles(profile.Roles);
        var cities = profile.Province ? null : AccountText.JoinList(ValidCodes(profile.Cities));
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Sql.Get("access/user_update_profile.sql"), new
            {
                username,
                display_name = CleanDisplayName(profile.DisplayName, username),
                roles = string.Join(',', roles),
                scope_province = profile.Province,
                scope_cities = cities,
                team_id = NullIfEmpty(profile.TeamId),
                preferred_language = Language(profile.PreferredLanguage),
            });
        }
        var changes = new List<string>();
        if (before.Roles != string.Join(',', roles))
        {
            changes.Add($"roles={before.Roles.Replace(',', '|')}->{string.Join('|', roles)}");
        }
        if (before.ScopeProvince != profile.Province || before.ScopeCities != cities)
        {
            changes.Add($"scope={ScopeText(before.ScopeProvince, before.ScopeCities)}->{ScopeText(profile)}");
        }
        if (before.DisplayName != profile.DisplayName)
        {
            changes.Add("display_name");
        }
        if ((before.TeamId ?? "") != (profile.TeamId ?? ""))
        {
            changes.Add($"team={before.TeamId}->{profile.TeamId}");
        }
        audit.Write(actor, changes.Any(ch => ch.StartsWith("roles", StringComparison.Ordinal) || ch.StartsWith("scope", StringComparison.Ordinal)) ? "role_change" : "user_change",
            username, detail: changes.Count == 0 ? "no_change" : string.Join(';', changes), clientIp: clientIp);
    }

    /// <summary>Disabling ends the account's open sessions at once.</summary>
    public void SetDisabled(string actor, string username, bool disabled, string? clientIp = null)
    {
        _ = Find(username) ?? throw new AccountException("UnknownAccount");
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Sql.Get("access/user_set_disabled.sql"), new { username, disabled });
        }
        if (disabled)
        {
            RevokeSessions(username, "disabled");
        }
        audit.Write(actor, "user_change", username, detail: disabled ? "disabled" : "enabled", clientIp: clientIp);
    }

    /// <summary>An administrator's reset: a random password shown once, to be changed at the next sign-in.</summary>
    public string ResetPassword(string actor, string username, string? clientIp = null)
    {
        var temporary = NewTemporaryPassword();
        SetPassword(actor, username, temporary, mustChange: true, clientIp, checkPolicy: false);
        return temporary;
    }

    /// <summary>
    /// An administrator sets a password they chose (the command line's reset): the policy applies, the account's
    /// sessions end, and with <paramref name="mustChange"/> the user chooses their own at the next sign-in.
    /// </summary>
    public void SetPassword(string actor, string username, string password, bool mustChange, string? clientIp = null, bool checkPolicy = true)
    {
        var user = Find(username) ?? throw new AccountException("UnknownAccount");
        if (user.Source != AccountSources.Local)
        {
            throw new AccountException("DirectoryAccount");
        }
        if (checkPolicy)
        {
            policy.Check(user.Username, password);
        }
        StoreHash(user.Username, password, mustChange);
        RevokeSessions(user.Username, "password_reset");
        audit.Write(actor, "user_change", user.Username, detail: "password_reset", clientIp: clientIp);
    }

    /// <summary>The user's own change: the current password is checked, other sessions end, this one goes on.</summary>
    public void ChangeOwnPassword(string username, string current, string next, string? keepSessionId, string? clientIp = null)
    {
        var user = Find(username) ?? throw new AccountException("UnknownAccount");
        if (user.Source != AccountSources.Local || user.PasswordHash is null)
        {
            throw new AccountException("DirectoryAccount");
        }
        if (_hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            audit.Write(username, "password_change", username, "failed", "wrong_current_password", clientIp);
            throw new AccountException("WrongCurrentPassword");
        }
        if (current == next)
        {
            throw new AccountException("PasswordUnchanged");
        }
        policy.Check(username, next);
        StoreHash(username, next, mustChange: false);
        RevokeSessions(username, "password_changed", keepSessionId);
        audit.Write(username, "password_change", username, clientIp: clientIp);
    }

    public PasswordVerificationResult Verify(AppUser user, string password) =>
        user.PasswordHash is null ? VerifyNothing(password) : _hasher.VerifyHashedPassword(user, user.PasswordHash, password);

    /// <summary>
    /// The work of one verification for a name that has no usable password (unknown, directory, disabled): always
    /// fails, and takes as long as a real one, so the answer's timing does not tell whether the account exists.
    /// </summary>
    public PasswordVerificationResult VerifyNothing(string password)
    {
        _hasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, password);
        return PasswordVerificationResult.Failed;
    }

    /// <summary>A stronger hash after an upgrade of the hasher's defaults; the flags stay as they were.</summary>
    public void Rehash(AppUser user, string password)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/user_rehash.sql"),
            new { password_hash = _hasher.HashPassword(user, password), username = user.Username });
    }

    public void RecordSuccess(string username)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/user_record_success.sql"), new { username });
    }

    public void SetLanguage(string username, string language)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/user_set_language.sql"), new { username, preferred_language = Language(language) });
    }

    /// <summary>
    /// A directory account as of this sign-in: created on first sign-in, roles and scope refreshed from the groups
    /// every time (a change is audited as a role change by the system).
    /// </summary>
    public AppUser UpsertDirectoryAccount(string username, string source, string displayName, AccountProfile mapped, string? clientIp)
    {
        username = Normalize(username);
        var roles = AccountText.ValidRoles(mapped.Roles);
        var cities = mapped.Province ? null : AccountText.JoinList(ValidCodes(mapped.Cities));
        lock (WriteLock)
        {
            var existing = Find(username);
            using var c = db.Ops.Connect();
            if (existing is null)
            {
                c.Execute(db.Ops.Sql.Get("access/user_insert.sql"), new
                {
                    username,
                    display_name = CleanDisplayName(displayName, username),
                    password_hash = (string?)null,
                    source,
                    roles = string.Join(',', roles),
                    scope_province = mapped.Province,
                    scope_cities = cities,
                    team_id = NullIfEmpty(mapped.TeamId),
                    preferred_language = Language(mapped.PreferredLanguage),
                    must_change_password = false,
                    demo_seed = false,
                });
                audit.Write(null, "user_change", username, detail: $"created;source={source};roles={string.Join('|', roles)};scope={ScopeText(mapped)}", clientIp: clientIp);
            }
            else
            {
                c.Execute(db.Ops.Sql.Get("access/user_update_directory.sql"), new
                {
                    username,
                    display_name = CleanDisplayName(displayName, username),
                    roles = string.Join(',', roles),
                    scope_province = mapped.Province,
                    scope_cities = cities,
                    team_id = NullIfEmpty(mapped.TeamId),
                });
                if (existing.Roles != string.Join(',', roles) || existing.ScopeProvince != mapped.Province || existing.ScopeCities != cities)
                {
                    audit.Write(null, "role_change", username,
                        detail: $"source={source};roles={existing.Roles.Replace(',', '|')}->{string.Join('|', roles)};scope={ScopeText(existing.ScopeProvince, existing.ScopeCities)}->{ScopeText(mapped)}",
                        clientIp: clientIp);
                }
            }
        }
        return Find(username)!;
    }

    /// <summary>The agent record (team, capacity) of an account that works tasks; the username is the join key.</summary>
    public void SaveAgent(string actor, string username, string displayName, string teamId, int capacity, bool active, string? clientIp = null)
    {
        if (!CodePattern().IsMatch(teamId.Replace("-", "", StringComparison.Ordinal)) || capacity < 0)
        {
            throw new AccountException("InvalidTeam");
        }
        lock (WriteLock)
        {
            // the agent record lives with the teams and tasks it is assigned by (see WithAgentRecords)
            using var c = db.Connect();
            var args = new { username, display_name = CleanDisplayName(displayName, username), team_id = teamId, capacity, active };
            c.Execute(db.Sql.Get("access/agent_upsert_update.sql"), args);
            c.Execute(db.Sql.Get("access/agent_upsert_insert.sql"), args);
            _teams.Publish([], [username]);
        }
        audit.Write(actor, "user_change", username, detail: $"agent;team={teamId};capacity={capacity};active={active}", clientIp: clientIp);
    }

    /// <summary>
    /// Agent records (ops.agent) are read from the warehouse file, beside the teams and tasks that assignment joins them
    /// with (their record on PostgreSQL is restored into the file when a node takes over, <see cref="TeamRecords"/>): there
    /// the accounts are read without them (user_list.postgres.sql) and given their agent's team and capacity here, by
    /// username. On DuckDB user_list.sql joins them already.
    /// </summary>
    private List<AppUser> WithAgentRecords(List<AppUser> users)
    {
        if (!db.Ops.IsPostgres || users.Count == 0)
        {
            return users;
        }
        using var c = db.Connect();
        var agents = c.Query<(string Username, string TeamId, int Capacity)>(db.Sql.Get("access/agent_records.sql"))
            .ToDictionary(a => a.Username, StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (agents.TryGetValue(user.Username, out var agent))
            {
                user.TeamId = agent.TeamId;
                user.AgentCapacity = agent.Capacity;
            }
        }
        return users;
    }

    private void RevokeSessions(string username, string reason, string? keepSessionId = null)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/session_revoke_user.sql"), new { username, reason, keep_session_id = keepSessionId });
    }

    private void StoreHash(string username, string password, bool mustChange)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("access/user_set_password.sql"), new
        {
            username,
            password_hash = _hasher.HashPassword(new AppUser { Username = username }, password),
            must_change_password = mustChange,
        });
    }

    private static string NewTemporaryPassword()
    {
        // no look-alike characters: the administrator reads it out or passes it on by hand
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
        return "Tmp-" + new string(RandomNumberGenerator.GetItems<char>(alphabet, 12));
    }

    private static string CleanDisplayName(string? name, string username)
    {
        var trimmed = (name ?? "").Trim();
        return trimmed.Length == 0 ? username : trimmed.Length > 100 ? trimmed[..100] : trimmed;
    }

    private static string Language(string? language) =>
        AccountRoles.Languages.FirstOrDefault(c => c.Equals(language, StringComparison.OrdinalIgnoreCase)) ?? AccountRoles.Languages[0];

    private static IEnumerable<string> ValidCodes(IEnumerable<string> codes) =>
        codes.Select(code => code.Trim()).Where(code => code.Length > 0)
            .Select(code => CodePattern().IsMatch(code) ? code : throw new AccountException("InvalidCity"));

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string ScopeText(AccountProfile profile) =>
        profile.Province ? "province" : AccountText.JoinList(profile.Cities)?.Replace(',', '|') ?? "none";

    private static string ScopeText(bool province, string? cities) =>
        province ? "province" : cities?.Replace(',', '|') ?? "none";
}
