using System.Security.Cryptography;

namespace RetentionAnalytics.Portal.Features.Shared;

/// <summary>
/// The HTTP security headers of every response (pages, data, files, status and error pages). The Content Security
/// Policy lets the page run only the portal's own scripts (Blazor, Radzen, the reconnect dialog) and the one inline
/// script Blazor renders, the import map, which carries this response's nonce; styles may be inline because Radzen
/// positions and sizes its components with style attributes. Nothing may frame the portal but itself, forms post only
/// to it, and it connects only to itself (the circuit's WebSocket). HSTS is sent on HTTPS requests (directly or
/// through a trusted proxy's forwarded proto).
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "ra.csp-nonce";

    /// <summary>The nonce of this response's Content Security Policy, for the import map's inline script.</summary>
    public static string CspNonce(HttpContext context)
    {
        if (context.Items[NonceKey] is string nonce)
        {
            return nonce;
        }
        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var nonce = CspNonce(context);
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy =
                    "default-src 'self'; " +
                    $"script-src 'self' 'nonce-{nonce}'; " +
                    "style-src 'self' 'unsafe-inline'; " +
                    "img-src 'self' data:; " +
                    "font-src 'self' data:; " +
                    "connect-src 'self'; " +
                    "object-src 'none'; " +
                    "base-uri 'self'; " +
                    "form-action 'self'; " +
                    "frame-ancestors 'self'" +
                    (context.Request.IsHttps ? "; upgrade-insecure-requests" : "");
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] =
                    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
