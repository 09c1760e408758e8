using System.Globalization;
using System.Text;
using RetentionAnalytics.Core.Etl.Loading;

namespace RetentionAnalytics.Core.Pipeline;

/// <summary>
/// Keeps the inbox for what has not been processed: done files to <c>archive/&lt;day&gt;/</c>, files that need a person to
/// <c>rejected/</c> and held replacements to <c>held/</c>, each of those two with a <c>&lt;file&gt;.reason.txt</c> beside it.
/// </summary>
public static class InboxArchive
{
    /// <summary>Statuses a person must act on: the file was not loaded, or not loaded as it stands.</summary>
    public static readonly IReadOnlySet<string> NeedsAPerson = new HashSet<string>(StringComparer.Ordinal)
        { "rejected", "failed", "conflict", "unrecognised", "stale" };

    public const string Held = "held";

    public static bool NeedsAttention(string status) => status == Held || NeedsAPerson.Contains(status);

    /// <returns>Files that could not be moved (held open by another program): they stay and are tried again next time.</returns>
    /// <param name="today">The province's date: the archive folder a loaded file moves to.</param>
    public static IReadOnlyList<string> Move(string inbox, IEnumerable<FileLoadResult> results, DateOnly today)
    {
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var stuck = new List<string>();
        foreach (var r in results)
        {
            var source = Path.Combine(inbox, r.FileName);
            if (!File.Exists(source))
            {
                continue;
            }
            var folder = r.Status == Held ? Path.Combine(inbox, "held")
                : NeedsAPerson.Contains(r.Status) ? Path.Combine(inbox, "rejected")
                : Path.Combine(inbox, "archive", day);
            try
            {
                Directory.CreateDirectory(folder);
                var target = Path.Combine(folder, r.FileName);
                if (File.Exists(target))
                {
                    target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(r.FileName)}.{r.LoadId}{Path.GetExtension(r.FileName)}");
                }
                File.Move(source, target);
                if (NeedsAttention(r.Status))
                {
                    File.WriteAllText(target + ".reason.txt", Reason(r), new UTF8Encoding(false));
                }
            }
            catch (IOException)
            {
                stuck.Add(r.FileName);
            }
            catch (UnauthorizedAccessException)
            {
                stuck.Add(r.FileName);
            }
        }
        return stuck;
    }

    private static string Reason(FileLoadResult r) => string.Create(CultureInfo.InvariantCulture, $"""
        file: {r.FileName}
        load: {r.LoadId}
        extract: {r.Extract}
        business date: {r.BusinessDate:yyyy-MM-dd}
        status: {r.Status}
        rows: {r.RowsRead} read = {r.RowsLoaded} loaded + {r.RowsRejected} rejected
        reason: {r.Message}

        """);
}
