using Microsoft.AspNetCore.Identity;
using RetentionAnalytics.Core.Audit;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// How a sign-in attempt ended. Reasons are resource keys: <c>SignInInvalid</c>, <c>SignInLocked</c> (the name has too
/// many recent failures), <c>SignInThrottled</c> (the client's address has); none says whether the name is an account.
/// </summary>
public abstract record SignInOutcome
{
    public sealed record Succeeded(AppUser User, bool MustChangePassword) : SignInOutcome;
    public sealed record Failed(string Reason) : SignInOutcome;
}

/// <summary>
/// Checks a typed username and password: local accounts against their hash, other names against the LDAP directory
/// when configured, every attempt through <see cref="SignInThrottle"/> first. A name that is no account (or disabled,
/// or signs in elsewhere) costs the same password verification and gets the same answer as a wrong password, so
/// neither the answer nor its timing tells whether an account exists. Every attempt is audited; the audit names the
/// account only when it exists ("unknown" otherwise, so a password typed into the username field never lands there).
/// </summary>
public sealed class SignInService(
    AccountStore accounts, LdapDirectory ldap, GroupRoleMapper mapper, AuditLog audit, AuthOptions options, SignInThrottle throttle)
{
    public const string Unknown = "unknown";

    /// <param name="trustedDevice">The device id of a valid device cookie of this name (<see cref="DeviceCookies"/>), if any.</param>
    public SignInOutcome Authenticate(string? typedUsername, string? password, string? clientIp, string? trustedDevice = null)
    {
        var username = AccountStore.Normalize(typedUsername);
        password ??= "";
        var user = AccountStore.IsValidUsername(username) ? accounts.Find(username) : null;
        var auditName = user?.Username ?? Unknown;

        switch (throttle.Check(username, clientIp, trustedDevice))
        {
            case ThrottleVerdict.AddressThrottled:
                return Fail(auditName, "throttled_address", clientIp, "SignInThrottled");
            case ThrottleVerdict.NameLocked:
                return Fail(auditName, "locked", clientIp, "SignInLocked");
        }

        if (user is null || user.Source == AccountSources.Ldap)
        {
            return AuthenticateInDirectory(username, password, user, clientIp, trustedDevice);
        }
        // OIDC accounts sign in at their identity provider only; a disabled account not at all
        var detail = user.Source != AccountSources.Local ? "not_local" : user.Disabled ? "disabled" : null;
        var verified = detail is null ? accounts.Verify(user, password) : accounts.VerifyNothing(password);
        if (verified == PasswordVerificationResult.Failed)
        {
            throttle.Failed(username, clientIp, trustedDevice);
            return Fail(user.Username, detail ?? "wrong_password", clientIp);
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            accounts.Rehash(user, password);
        }
        return Succeed(user, "local", clientIp, trustedDevice);
    }

    /// <summary>A forced change applies to accounts an administrator reset, and to demo accounts outside demo mode.</summary>
    public bool MustChange(AppUser user) => user.MustChangeNow(options.DemoMode);

    private SignInOutcome AuthenticateInDirectory(string username, string password, AppUser? existing, string? clientIp, string? trustedDevice)
    {
        if (!ldap.Enabled || !AccountStore.IsValidUsername(username) || existing is { Disabled: true })
        {
            accounts.VerifyNothing(password);
            throttle.Failed(username, clientIp, trustedDevice);
            return Fail(existing?.Username ?? Unknown, existing is { Disabled: true } ? "disabled" : "wrong_password", clientIp);
        }
        var found = ldap.Authenticate(username, password);
        if (found is null)
        {
            throttle.Failed(username, clientIp, trustedDevice);
            return Fail(existing?.Username ?? Unknown, "directory_rejected", clientIp);
        }
        var profile = mapper.Map(found.Groups, found.DisplayName, existing?.PreferredLanguage ?? "en");
        if (profile.Roles.Count == 0)
        {
            // a directory user the configuration gives nothing: audited by name, the directory vouched for it
            return Fail(username, "no_mapped_role", clientIp);
        }
        var user = accounts.UpsertDirectoryAccount(username, AccountSources.Ldap, found.DisplayName, profile, clientIp);
        return Succeed(user, "ldap", clientIp, trustedDevice);
    }

    private SignInOutcome.Succeeded Succeed(AppUser user, string source, string? clientIp, string? trustedDevice)
    {
        throttle.Succeeded(user.Username, trustedDevice);
        accounts.RecordSuccess(user.Username);
        audit.Write(user.Username, "sign_in", null, detail: source, clientIp: clientIp);
        return new SignInOutcome.Succeeded(user, MustChange(user));
    }

    private SignInOutcome.Failed Fail(string auditName, string detail, string? clientIp, string reason = "SignInInvalid")
    {
        audit.Write(auditName, "sign_in_failed", null, "failed", detail, clientIp);
        return new SignInOutcome.Failed(reason);
    }
}
