using System.Text.RegularExpressions;

namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>
/// Whether a visible string, identical on the English and on a German or Chinese page, is an English text left
/// untranslated: several English words, mostly letters, not data (numbers, dates, ids, e-mail, file names) and not one
/// of the few product terms and codes that stay the same in every language.
/// </summary>
public static partial class LanguageCheck
{
    /// <summary>Terms that are the same in all three languages on purpose: product and format names, codes, units.</summary>
    public static readonly IReadOnlySet<string> AllowList = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "RetentionAnalytics", "English", "Deutsch", "简体中文", "Excel", "CSV", "XLSX", "KPI", "ARPU", "MSISDN", "IMSI", "SMS",
        "GSM-7", "UCS-2", "ID", "OK", "VAS", "AUC", "CI", "MB", "demo", "(demo)", "Retention-2026",
    };

    [GeneratedRegex(@"(?<![A-Za-z])([A-Za-z][a-z]+)(?![A-Za-z])")]
    private static partial Regex Word();

    [GeneratedRegex(@"[@\\/=;]|\.(csv|xlsx|yaml|sql)\b|^[A-Z]?\d|[a-z]+_[a-z0-9_]+", RegexOptions.IgnoreCase)]
    private static partial Regex DataLike();

    /// <summary>
    /// Names the sample delivers in one language only (channels, plans, value-added services) and the retention teams and
    /// agents of data-samples/ops/teams.yaml: data, shown as delivered.
    /// </summary>
    public static IReadOnlySet<string> DataNames { get; set; } = new HashSet<string>();

    public static bool ReadsAsEnglish(string text, string language)
    {
        var trimmed = text.Trim();
        // one token (a code, an id, a user name) is not a text; nor are data and the allowed terms
        if (trimmed.Length < 6 || !trimmed.Contains(' ', StringComparison.Ordinal) || AllowList.Contains(trimmed)
            || DataNames.Contains(trimmed) || DataLike().IsMatch(trimmed))
        {
            return false;
        }
        var words = Words(trimmed).Where(w => !AllowList.Contains(w)).ToList();
        var letters = trimmed.Count(char.IsAsciiLetter);
        // German shares many single words with English (Name, Status, Team): three words at least; in Chinese two
        var enough = language == "de" ? 3 : 2;
        return words.Count >= enough && letters >= 0.6 * trimmed.Count(ch => !char.IsWhiteSpace(ch));
    }

    /// <summary>The one-language names of the sample province (see <see cref="DataNames"/>).</summary>
    public static IReadOnlySet<string> SampleDataNames(string repositoryRoot)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var province = Path.Combine(repositoryRoot, "data-samples", "province");
        foreach (var extract in new[] { "channel", "plan", "vas_product" })
        {
            var file = Directory.GetFiles(province, $"{extract}_*.csv").Max()!;
            foreach (var line in File.ReadLines(file).Skip(1).Where(l => l.Length > 0))
            {
                names.Add(line.Split(',')[1].Trim());
            }
        }
        foreach (var line in File.ReadLines(Path.Combine(repositoryRoot, "data-samples", "ops", "teams.yaml")))
        {
            foreach (Match m in YamlName().Matches(line))
            {
                names.Add(m.Groups[1].Value.Trim());
            }
        }
        return names;
    }

    [GeneratedRegex(@"(?:\bname|display_name):\s*([^,}#]+)")]
    private static partial Regex YamlName();

    private static IEnumerable<string> Words(string text) =>
        Word().Matches(text).Select(m => m.Groups[1].Value).Where(w => w.Length >= 2);
}
