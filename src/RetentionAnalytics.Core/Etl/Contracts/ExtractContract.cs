using System.Globalization;
using System.Text.RegularExpressions;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>One ODS extract type, as declared in <c>etl/contracts/&lt;extract&gt;.yaml</c> (format: etl/README.md).</summary>
public sealed class ExtractContract
{
    public string Extract { get; set; } = "";
    public string? Description { get; set; }
    public string FilePattern { get; set; } = "";
    public string DateFormat { get; set; } = "yyyyMMdd";
    public string Cadence { get; set; } = "monthly";
    public int? FreshnessDays { get; set; }
    public string Encoding { get; set; } = "utf-8";
    public string Delimiter { get; set; } = ",";
    public string Quote { get; set; } = "\"";
    public int LoadOrder { get; set; } = 40;
    public List<string> Keys { get; set; } = [];
    public List<ColumnContract> Columns { get; set; } = [];
    public List<ReferenceContract> References { get; set; } = [];

    public string StagingTable => $"stg.{Extract}";

    private Regex? _pattern;
    private Regex Pattern => _pattern ??= new Regex(FilePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The business date and delivery sequence a file name carries, or null when the name is not this extract's.</summary>
    public (DateOnly BusinessDate, int Sequence)? MatchFileName(string fileName)
    {
        var m = Pattern.Match(fileName);
        if (!m.Success)
        {
            return null;
        }
        if (!DateOnly.TryParseExact(m.Groups["date"].Value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }
        var seq = m.Groups["seq"].Success && int.TryParse(m.Groups["seq"].Value, out var s) ? s : 0;
        return (date, seq);
    }

    public int FreshnessLimitDays => FreshnessDays ?? (Cadence == "daily" ? 3 : 45);
}

public sealed class ColumnContract
{
    public string Name { get; set; } = "";
    public string? Source { get; set; }
    public List<string> Aliases { get; set; } = [];
    public string Type { get; set; } = "varchar";
    public bool Required { get; set; }
    public string? Format { get; set; }
    public Dictionary<string, string>? Map { get; set; }
    public List<string>? Allowed { get; set; }
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }
    public string? Pattern { get; set; }
    public bool Personal { get; set; }
    public List<string>? TrueValues { get; set; }
    public List<string>? FalseValues { get; set; }
    public string? DecimalSeparator { get; set; }

    public string SourceName => Source ?? Name;
    public IEnumerable<string> AcceptedHeaders => Aliases.Prepend(SourceName);
}

public sealed class ReferenceContract
{
    public string Column { get; set; } = "";
    public string Extract { get; set; } = "";
    public string Key { get; set; } = "";
}
