namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>The <c>Auth</c> configuration section: sign-in, lockout, session lifetimes, directory sign-in.</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// True (appsettings.json) so the README's one command gives a working demo: the seeded demo accounts sign in
    /// with the documented password without changing it. False in production: they must change it first.
    /// </summary>
    public bool DemoMode { get; set; }

    /// <summary>The password of the seeded demo accounts (docs/portal.md).</summary>
    public string DemoPassword { get; set; } = "Retention-2026";

    /// <summary>Failures of one name (an account or not) before new browsers are locked out of it for a while.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>Failures from one client address (any names) before that address is throttled for a while.</summary>
    public int MaxFailedAttemptsPerAddress { get; set; } = 20;

    /// <summary>The window failures are counted in, and the longest lock (locks double from one minute up to it).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// A failed sign-in is answered no sooner than this after the request came in, whatever failed: the timing tells
    /// nothing about which check refused it, and guessing is slower.
    /// </summary>
    public int MinFailedSignInMilliseconds { get; set; } = 500;

    /// <summary>A session without activity for this long ends (server side, checked on every request and circuit).</summary>
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>A session ends this long after sign-in, whatever the activity.</summary>
    public int AbsoluteTimeoutHours { get; set; } = 10;

    /// <summary>How often an open Blazor circuit re-checks its session (sign-out elsewhere, disabled account).</summary>
    public int CircuitRevalidateSeconds { get; set; } = 30;

    /// <summary>At least <see cref="PasswordPolicy.Floor"/> (12).</summary>
    public int MinPasswordLength { get; set; } = PasswordPolicy.Floor;

    public LdapOptions Ldap { get; set; } = new();
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>Directory groups (LDAP memberOf DNs or OIDC group claim values) and the roles and scope they give.</summary>
    public List<GroupMapping> GroupMappings { get; set; } = [];

    public static AuthOptions From(IConfiguration configuration)
    {
        var options = new AuthOptions();
        configuration.GetSection("Auth").Bind(options);
        if (options.MaxFailedAttempts < 1 || options.MaxFailedAttemptsPerAddress < 1 || options.LockoutMinutes < 1
            || options.IdleTimeoutMinutes < 1 || options.AbsoluteTimeoutHours < 1 || options.CircuitRevalidateSeconds < 1
            || options.MinFailedSignInMilliseconds < 0
            || options.MinPasswordLength < PasswordPolicy.Floor || options.MinPasswordLength > PasswordPolicy.MaxLength)
        {
            throw new InvalidOperationException(
                "Auth: MaxFailedAttempts, MaxFailedAttemptsPerAddress, LockoutMinutes, IdleTimeoutMinutes, AbsoluteTimeoutHours and "
                + $"CircuitRevalidateSeconds must be at least 1, MinFailedSignInMilliseconds at least 0, MinPasswordLength between {PasswordPolicy.Floor} and {PasswordPolicy.MaxLength}.");
        }
        return options;
    }
}

/// <summary>LDAP bind sign-in (System.DirectoryServices.Protocols).</summary>
public sealed class LdapOptions
{
    public bool Enabled { get; set; }
    public string Server { get; set; } = "";
    public int Port { get; set; } = 636;
    public bool UseSsl { get; set; } = true;

    /// <summary>The bind name built from the typed username, e.g. <c>uid={0},ou=people,dc=example,dc=com</c> or <c>{0}@corp.example</c>.</summary>
    public string BindDnFormat { get; set; } = "";

    /// <summary>Where the user's entry is searched after the bind, e.g. <c>ou=people,dc=example,dc=com</c>.</summary>
    public string SearchBase { get; set; } = "";

    /// <summary>The search filter, <c>{0}</c> is the escaped username.</summary>
    public string UserFilter { get; set; } = "(uid={0})";

    public string GroupAttribute { get; set; } = "memberOf";
    public string DisplayNameAttribute { get; set; } = "displayName";
    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary>OpenID Connect sign-in (authorization code flow).</summary>
public sealed class OidcOptions
{
    public bool Enabled { get; set; }
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>The claim that carries the user's groups (<c>groups</c> in Keycloak, Entra ID and most others).</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The claim used as portal username.</summary>
    public string UsernameClaim { get; set; } = "preferred_username";

    public List<string> Scopes { get; set; } = ["openid", "profile"];

    /// <summary>Only for a local test identity provider on plain http.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Text of the button on the sign-in page.</summary>
    public string DisplayName { get; set; } = "Single sign-on";
}

/// <summary>One directory group and what its members get. A member of several groups gets the union.</summary>
public sealed class GroupMapping
{
    public string Group { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public bool Province { get; set; }
    public List<string> Cities { get; set; } = [];
    public string? TeamId { get; set; }
}

/// <summary>The <c>Network</c> configuration section: who may reach the portal, and which proxies to believe.</summary>
public sealed class NetworkOptions
{
    /// <summary>CIDR ranges (IPv4 and IPv6) allowed to reach the portal; empty: everyone.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; empty: none
    /// (the connection's own address is the client's).
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public static NetworkOptions From(IConfiguration configuration)
    {
        var options = new NetworkOptions();
        configuration.GetSection("Network").Bind(options);
        return options;
    }
}
