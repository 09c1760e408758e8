using RetentionAnalytics.Core.Etl.Loading;

namespace RetentionAnalytics.Core.Pipeline;

/// <summary>Keeps the inbox for what has not been processed: done files to archive/, files that need a person to rejected/.</summary>
public static class InboxArchive
{
    private static readonly HashSet<string> NeedsAPerson = ["rejected", "conflict", "unrecognised", "stale"];

    public static void Move(string inbox, IEnumerable<FileLoadResult> results)
    {
        var day = DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var r in results)
        {
            var source = Path.Combine(inbox, r.FileName);
            if (!File.Exists(source))
            {
                continue;
            }
            var folder = NeedsAPerson.Contains(r.Status) ? Path.Combine(inbox, "rejected") : Path.Combine(inbox, "archive", day);
            Directory.CreateDirectory(folder);
            var target = Path.Combine(folder, r.FileName);
            if (File.Exists(target))
            {
                target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(r.FileName)}.{r.LoadId}{Path.GetExtension(r.FileName)}");
            }
            File.Move(source, target);
        }
    }
}
