using System.Text;
using System.Text.Json;
using RetentionAnalytics.Core.Cubes;

namespace RetentionAnalytics.Portal.Features.Cubes;

/// <summary>The unsaved state of the cube page in a download link: URL-safe base64 of the request's JSON.</summary>
public static class CubeState
{
    /// <summary>Longer than any state the page writes (a few axes, measures and filters of at most 500 members).</summary>
    public const int MaxLength = 64 * 1024;

    public static string Encode(PivotRequest request) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(CubeViews.Serialize(request))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The request in the link; null when the link is damaged (cut off, edited, not a request at all).</summary>
    public static PivotRequest? Decode(string? state)
    {
        if (string.IsNullOrEmpty(state) || state.Length > MaxLength)
        {
            return null;
        }
        var base64 = state.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        try
        {
            var json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(base64));
            return CubeViews.Deserialize(json) is { IsComplete: true } request ? request : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException or NotSupportedException)
        {
            // DecoderFallbackException is an ArgumentException; the view's "empty" refusal too
            return null;
        }
    }
}
