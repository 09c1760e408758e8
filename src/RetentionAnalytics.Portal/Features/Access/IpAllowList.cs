using System.Net;
using RetentionAnalytics.Core.Audit;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// Only clients from the configured networks (Network:AllowedNetworks, IPv4 and IPv6 CIDR) reach the portal; the
/// rest get 403 and an audit row. Runs after the forwarded headers of trusted proxies are applied, so behind a
/// proxy the client's address counts, and in front of everything else (sign-in, /healthz, static files).
/// </summary>
public sealed class IpAllowList
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public IpAllowList(IEnumerable<string> networks) => _networks = networks.Select(ParseNetwork).ToList();

    public bool AllowsEveryone => _networks.Count == 0;

    public bool Allows(IPAddress? address)
    {
        if (AllowsEveryone)
        {
            return true;
        }
        if (address is null)
        {
            return false;
        }
        // an IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(plain));
    }

    /// <summary>A CIDR range, or a single address (as /32 or /128).</summary>
    public static IPNetwork ParseNetwork(string text)
    {
        var trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out var network))
        {
            return network;
        }
        if (IPAddress.TryParse(trimmed, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        throw new InvalidOperationException($"'{trimmed}' is not an IP address or CIDR range (Network configuration).");
    }

    public RequestDelegate Middleware(RequestDelegate next) => async context =>
    {
        if (Allows(context.Connection.RemoteIpAddress))
        {
            await next(context);
            return;
        }
        // no path in the audit: a URL typed by an outsider is free text
        context.RequestServices.GetRequiredService<AuditLog>().Write(
            null, "denied", null, "denied", "ip_not_allowed", context.Connection.RemoteIpAddress?.ToString());
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("403 Forbidden");
    };
}
