using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;

namespace RetentionAnalytics.Portal.Features.Pipeline;

/// <summary>The inbox as the poll sees it: which CSV deliveries are waiting.</summary>
public sealed class InboxFolder(EtlOptions options, ContractCatalog contracts)
{
    public string Path => options.Inbox;

    private string? _lastAttempted;

    /// <summary>
    /// A fingerprint (name, size, write time) of the CSV files waiting; null when there are none.
    /// </summary>
    public string? Fingerprint()
    {
        if (!Directory.Exists(options.Inbox))
        {
            return null;
        }
        var files = new DirectoryInfo(options.Inbox).GetFiles("*", SearchOption.TopDirectoryOnly)
            .Where(f => Loader.IsDelivery(f.Name, contracts))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => $"{f.Name}|{f.Length}|{f.LastWriteTimeUtc.Ticks}")
            .ToList();
        return files.Count == 0 ? null : string.Join("\n", files);
    }

    /// <summary>
    /// True when CSV files wait that the poll has not already run over. Processed files move to archive/ or
    /// rejected/, so files still here after a poll are those of a run that failed (a broken contract, a full disk):
    /// they would start a failing run every poll; the nightly run and the button still retry them.
    /// </summary>
    public bool HasNewDeliveries(out string fingerprint)
    {
        fingerprint = Fingerprint() ?? "";
        return fingerprint.Length > 0 && fingerprint != Volatile.Read(ref _lastAttempted);
    }

    public void MarkAttempted(string fingerprint) => Volatile.Write(ref _lastAttempted, fingerprint);
}
