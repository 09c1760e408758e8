using System.Diagnostics;
using System.Text;
using System.Xml.Linq;

namespace RetentionAnalytics.Tests.Exports;

/// <summary>
/// A real spreadsheet engine for the read-back tests: LibreOffice headless (Debian's libreoffice-calc-nogui, installed by
/// test.sh) converts an xlsx to CSV with the cells as shown, so formats, text-ness and values are what a user sees.
/// </summary>
public static class LibreOffice
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The first sheet as shown on screen: one string per cell, rows as LibreOffice writes them.</summary>
    public static List<string[]> ReadAsShown(string xlsxPath) =>
        // 44 comma, 34 quote, 76 UTF-8, first line 1, default formats, language, quoted as text, no special numbers,
        // save cell contents AS SHOWN
        Convert(xlsxPath, [], "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,false,true", "csv",
            csv => ParseCsv(File.ReadAllText(csv, Encoding.UTF8)));

    /// <summary>
    /// The first sheet as the spreadsheet holds it: per cell its type as LibreOffice read it (<c>date</c>,
    /// <c>float</c>, <c>percentage</c>, <c>string</c>, <c>boolean</c>, or empty), its value (a date as ISO text) and
    /// what it shows. So a test can tell a date cell from text that looks like one.
    /// </summary>
    public static List<TypedCell[]> ReadTyped(string xlsxPath) =>
        Convert(xlsxPath, [], "fods", "fods", fods => FlatOds.FirstSheet(XDocument.Load(fods)));

    /// <summary>
    /// Opens a CSV in LibreOffice the way a user with that list separator does (formulas evaluated, special numbers
    /// detected) and saves it as xlsx, so a test can see which cells became formulas and what they show.
    /// </summary>
    public static string OpenCsvAsXlsx(string csvPath, char separator) =>
        // separator, quote, UTF-8, first line 1, default formats, English, quoted fields not forced to text, detect
        // special numbers, -, -, no space trimming, -, evaluate formulas
        Convert(csvPath, [$"--infilter=Text - txt - csv (StarCalc):{(int)separator},34,76,1,,1033,false,true,,,false,,true"], "xlsx", "xlsx",
            xlsx =>
            {
                var kept = Path.Combine(Path.GetDirectoryName(csvPath)!, Path.GetFileNameWithoutExtension(csvPath) + $".sep{(int)separator}.xlsx");
                File.Copy(xlsx, kept, overwrite: true);
                return kept;
            });

    /// <summary>Converts one file headless with a profile of its own, one conversion at a time, and reads the result.</summary>
    private static T Convert<T>(string inputPath, string[] filterArgs, string convertTo, string outExtension, Func<string, T> read)
    {
        var outDir = Directory.CreateTempSubdirectory("ra-lo-out-").FullName;
        var profile = Directory.CreateTempSubdirectory("ra-lo-profile-").FullName;
        OneAtATime.Wait();
        try
        {
            var start = new ProcessStartInfo("soffice") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { $"-env:UserInstallation=file://{profile}", "--headless", "--norestore" }
                         .Concat(filterArgs).Concat(["--convert-to", convertTo, "--outdir", outDir, inputPath]))
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("LibreOffice did not convert within 3 minutes.");
            }
            var output = Path.Combine(outDir, Path.GetFileNameWithoutExtension(inputPath) + "." + outExtension);
            if (!File.Exists(output))
            {
                throw new InvalidOperationException($"LibreOffice wrote no {outExtension}: {stdout.Result} {stderr.Result}");
            }
            return read(output);
        }
        finally
        {
            OneAtATime.Release();
            Directory.Delete(outDir, recursive: true);
            Directory.Delete(profile, recursive: true);
        }
    }

    /// <summary>RFC 4180 fields: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row.ToArray());
                    row.Clear();
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row.ToArray());
        }
        return rows;
    }
}

/// <summary>A cell of a sheet as LibreOffice holds it (see <see cref="LibreOffice.ReadTyped"/>).</summary>
public sealed record TypedCell(string Type, string Value, string Shown);

/// <summary>Reads the first table of a flat OpenDocument spreadsheet, repeated rows and cells expanded (trailing blanks dropped).</summary>
internal static class FlatOds
{
    private static readonly XNamespace Table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static readonly XNamespace Office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    private static readonly XNamespace Text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    public static List<TypedCell[]> FirstSheet(XDocument document)
    {
        var rows = new List<TypedCell[]>();
        var sheet = document.Descendants(Table + "table").First();
        foreach (var row in sheet.Descendants(Table + "table-row"))
        {
            var cells = new List<TypedCell>();
            foreach (var cell in row.Elements().Where(e => e.Name == Table + "table-cell" || e.Name == Table + "covered-table-cell"))
            {
                var type = (string?)cell.Attribute(Office + "value-type") ?? "";
                var value = (string?)cell.Attribute(Office + "date-value") ?? (string?)cell.Attribute(Office + "value")
                    ?? (string?)cell.Attribute(Office + "boolean-value") ?? "";
                var shown = string.Join("\n", cell.Elements(Text + "p").Select(p => p.Value));
                var repeat = (int?)cell.Attribute(Table + "number-columns-repeated") ?? 1;
                cells.AddRange(Enumerable.Repeat(new TypedCell(type, value, shown), type == "" && repeat > 256 ? 1 : repeat));
            }
            while (cells.Count > 0 && cells[^1].Type == "" && cells[^1].Shown == "")
            {
                cells.RemoveAt(cells.Count - 1);
            }
            var rowRepeat = (int?)row.Attribute(Table + "number-rows-repeated") ?? 1;
            rows.AddRange(Enumerable.Repeat(cells.ToArray(), cells.Count == 0 && rowRepeat > 256 ? 1 : rowRepeat));
        }
        while (rows.Count > 0 && rows[^1].Length == 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return rows;
    }
}
