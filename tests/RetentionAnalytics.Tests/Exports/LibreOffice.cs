using System.Diagnostics;
using System.Text;

namespace RetentionAnalytics.Tests.Exports;

/// <summary>
/// A real spreadsheet engine for the read-back tests: LibreOffice headless (Debian's libreoffice-calc-nogui, installed by
/// test.sh) converts an xlsx to CSV with the cells as shown, so formats, text-ness and values are what a user sees.
/// </summary>
public static class LibreOffice
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The first sheet as shown on screen: one string per cell, rows as LibreOffice writes them.</summary>
    public static List<string[]> ReadAsShown(string xlsxPath)
    {
        var outDir = Directory.CreateTempSubdirectory("ra-lo-out-").FullName;
        var profile = Directory.CreateTempSubdirectory("ra-lo-profile-").FullName;
        OneAtATime.Wait();
        try
        {
            // 44 comma, 34 quote, 76 UTF-8, first line 1, default formats, language, quoted as text, no special numbers,
            // save cell contents AS SHOWN
            var start = new ProcessStartInfo("soffice")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
            {
                $"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,false,true",
                "--outdir", outDir, xlsxPath,
            })
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
            var csv = Path.Combine(outDir, Path.GetFileNameWithoutExtension(xlsxPath) + ".csv");
            if (!File.Exists(csv))
            {
                throw new InvalidOperationException($"LibreOffice wrote no CSV: {stdout.Result} {stderr.Result}");
            }
            return ParseCsv(File.ReadAllText(csv, Encoding.UTF8));
        }
        finally
        {
            OneAtATime.Release();
            Directory.Delete(outDir, recursive: true);
            Directory.Delete(profile, recursive: true);
        }
    }

    /// <summary>
    /// Opens a CSV in LibreOffice the way a user with that list separator does (formulas evaluated, special numbers
    /// detected) and saves it as xlsx, so a test can see which cells became formulas and what they show.
    /// </summary>
    public static string OpenCsvAsXlsx(string csvPath, char separator)
    {
        var outDir = Directory.CreateTempSubdirectory("ra-lo-csv-").FullName;
        var profile = Directory.CreateTempSubdirectory("ra-lo-profile-").FullName;
        OneAtATime.Wait();
        try
        {
            // separator, quote, UTF-8, first line 1, default formats, English, quoted fields not forced to text, detect
            // special numbers, -, -, no space trimming, -, evaluate formulas
            var start = new ProcessStartInfo("soffice") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[]
            {
                $"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                $"--infilter=Text - txt - csv (StarCalc):{(int)separator},34,76,1,,1033,false,true,,,false,,true",
                "--convert-to", "xlsx", "--outdir", outDir, csvPath,
            })
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
            var xlsx = Path.Combine(outDir, Path.GetFileNameWithoutExtension(csvPath) + ".xlsx");
            var kept = Path.Combine(Path.GetDirectoryName(csvPath)!, Path.GetFileNameWithoutExtension(csvPath) + $".sep{(int)separator}.xlsx");
            if (!File.Exists(xlsx))
            {
                throw new InvalidOperationException($"LibreOffice wrote no xlsx: {stdout.Result} {stderr.Result}");
            }
            File.Copy(xlsx, kept, overwrite: true);
            return kept;
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
