using Microsoft.AspNetCore.Identity;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Portal.Features.Accounts;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>How a sign-in attempt ended. Reasons are shown as resource keys: <c>SignInInvalid</c>, <c>SignInLocked</c>.</summary>
public abstract record SignInOutcome
{
    public sealed record Succeeded(AppUser User, bool MustChangePassword) : SignInOutcome;
    public sealed record Failed(string Reason) : SignInOutcome;
}

/// <summary>
/// Checks a typed username and password: local accounts against their hash, with a lock after
/// <see cref="AuthOptions.MaxFailedAttempts"/> failures; other names against the LDAP directory when configured.
/// Every attempt is audited; the audit names the account only when it exists ("unknown" otherwise, so a password
/// typed into the username field never lands in the audit log).
/// </summary>
public sealed class SignInService(
    AccountStore accounts, LdapDirectory ldap, GroupRoleMapper mapper, AuditLog audit, AuthOptions options)
{
    public const string Unknown = "unknown";

    public SignInOutcome Authenticate(string? typedUsername, string? password, string? clientIp)
    {
        var username = AccountStore.Normalize(typedUsername);
        password ??= "";
        var user = AccountStore.IsValidUsername(username) ? accounts.Find(username) : null;

        if (user is null || user.Source == AccountSources.Ldap)
        {
            return AuthenticateInDirectory(username, password, user, clientIp);
        }
        if (user.Source != AccountSources.Local)
        {
            // OIDC accounts sign in at their identity provider only
            return Fail(user.Username, "not_local", clientIp);
        }
        if (user.Disabled)
        {
            return Fail(user.Username, "disabled", clientIp);
        }
        if (user.IsLocked)
        {
            return Fail(user.Username, "locked", clientIp, reason: "SignInLocked");
        }
        var verified = accounts.Verify(user, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            accounts.RecordFailure(user.Username);
            var nowLocked = accounts.Find(user.Username)?.IsLocked == true;
            return Fail(user.Username, nowLocked ? "wrong_password;locked" : "wrong_password", clientIp,
                reason: nowLocked ? "SignInLocked" : "SignInInvalid");
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            accounts.Rehash(user, password);
        }
        accounts.RecordSuccess(user.Username);
        audit.Write(user.Username, "sign_in", null, detail: "local", clientIp: clientIp);
        return new SignInOutcome.Succeeded(user, MustChange(user));
    }

    /// <summary>
    /// A forced change applies to accounts an administrator reset, and to the seeded demo accounts unless the
    /// portal runs in demo mode (their password is in the documentation).
    /// </summary>
    public bool MustChange(AppUser user) =>
        user.Source == AccountSources.Local && user.MustChangePassword && !(options.DemoMode && user.DemoSeed);

    private SignInOutcome AuthenticateInDirectory(string username, string password, AppUser? existing, string? clientIp)
    {
        if (!ldap.Enabled || !AccountStore.IsValidUsername(username))
        {
            return Fail(existing?.Username ?? Unknown, "wrong_password", clientIp);
        }
        if (existing is { Disabled: true })
        {
            return Fail(existing.Username, "disabled", clientIp);
        }
        var found = ldap.Authenticate(username, password);
        if (found is null)
        {
            return Fail(existing?.Username ?? Unknown, "directory_rejected", clientIp);
        }
        var profile = mapper.Map(found.Groups, found.DisplayName, existing?.PreferredLanguage ?? "en");
        if (profile.Roles.Count == 0)
        {
            // a directory user the configuration gives nothing: audited by name, the directory vouched for it
            return Fail(username, "no_mapped_role", clientIp);
        }
        var user = accounts.UpsertDirectoryAccount(username, AccountSources.Ldap, found.DisplayName, profile, clientIp);
        accounts.RecordSuccess(user.Username);
        audit.Write(user.Username, "sign_in", null, detail: "ldap", clientIp: clientIp);
        return new SignInOutcome.Succeeded(user, false);
    }

    private SignInOutcome.Failed Fail(string auditName, string detail, string? clientIp, string reason = "SignInInvalid")
    {
        audit.Write(auditName, "sign_in_failed", null, "failed", detail, clientIp);
        return new SignInOutcome.Failed(reason);
    }
}
