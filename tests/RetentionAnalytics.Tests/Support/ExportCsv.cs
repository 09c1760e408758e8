using RetentionAnalytics.Tests.Exports;

namespace RetentionAnalytics.Tests.Support;

/// <summary>Reading an exported CSV as a table, the way a spreadsheet user skips its header block.</summary>
public static class ExportCsv
{
    /// <summary>
    /// The column headers (after a pivot's header bands) first, then the rows (RFC 4180 fields, quotes removed); the header block — title, filters,
    /// data-as-of and the empty line after them — is left out.
    /// </summary>
    public static List<string[]> Table(string text)
    {
        var rows = LibreOffice.ParseCsv(text.TrimStart('\uFEFF'));
        // a header block starts with the title alone in its line and ends with an empty line
        var titled = rows.Count > 0 && rows[0].Skip(1).All(f => f.Length == 0);
        var blank = rows.FindIndex(r => r.All(f => f.Length == 0));
        return titled && blank > 0 ? rows.Skip(blank + 1).ToList() : rows;
    }
}
