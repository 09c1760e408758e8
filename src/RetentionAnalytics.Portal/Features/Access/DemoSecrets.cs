namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// No default secret is ever live: outside demo mode the portal does not start while a shared secret is one of the
/// values that were ever published as a demo default, or too short to be a secret. Nothing in appsettings.json
/// carries a secret; a deployment sets them (environment variables or a secrets store).
/// </summary>
public static class DemoSecrets
{
    /// <summary>Values published in this repository's history or documentation as examples.</summary>
    public static readonly IReadOnlyList<string> Known = ["demo-gateway-token", "test-token", "changeme", "secret", "…"];

    public const int MinLength = 24;

    /// <summary>The configuration keys of shared secrets that callers present to the portal.</summary>
    private static readonly string[] SecretKeys = ["Sms:Gateway:CallbackToken"];

    /// <exception cref="InvalidOperationException">A known or weak secret outside demo mode; the message names the key.</exception>
    public static void Check(IConfiguration configuration, bool demoMode)
    {
        if (demoMode)
        {
            return;
        }
        foreach (var key in SecretKeys)
        {
            var value = configuration[key];
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            if (Known.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{key} is a published demo value; outside demo mode (Auth:DemoMode=false) set a secret of your own of at least {MinLength} characters.");
            }
            if (value.Length < MinLength)
            {
                throw new InvalidOperationException($"{key} is shorter than {MinLength} characters: too short to be a secret.");
            }
        }
    }
}
