using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// The device cookie of <see cref="SignInThrottle"/>: after a successful sign-in the browser gets <c>ra.device</c>, a
/// protected (signed and encrypted) note of the account and a random device id, valid for <see cref="Lifetime"/>.
/// Presented with the same name again, it marks the attempt as coming from a browser the owner used before, which a
/// stranger's failures cannot lock. It is no session: it opens nothing by itself.
/// </summary>
public sealed class DeviceCookies(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "ra.device";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly IDataProtector _protector = protection.CreateProtector("RetentionAnalytics.SignIn.DeviceCookie.v1");

    private sealed record Note(string User, string Device, DateTimeOffset Issued);

    /// <summary>The device id when the request carries a valid device cookie of this account, else null.</summary>
    public string? TrustedDevice(HttpRequest request, string username)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var note = JsonSerializer.Deserialize<Note>(_protector.Unprotect(value));
            return note is not null && note.User == username && clock.GetUtcNow() - note.Issued < Lifetime ? note.Device : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A fresh cookie for the account that just signed in (a new id each time: a copied old one does not last).</summary>
    public void Issue(HttpResponse response, string username)
    {
        var note = new Note(username, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), clock.GetUtcNow());
        response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(note)), new CookieOptions
        {
            HttpOnly = true,
            Secure = response.HttpContext.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/account",
            Expires = clock.GetUtcNow() + Lifetime,
            IsEssential = true,
        });
    }
}
