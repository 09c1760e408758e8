using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Definitions;
using RetentionAnalytics.Core.Etl.Contracts.Expressions;
using YamlDotNet.Serialization;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>One ODS extract type, as declared in <c>etl/contracts/&lt;extract&gt;.yaml</c> (format: etl/README.md).</summary>
public sealed class ExtractContract
{
    /// <summary>The default longest field, in characters: longer values reject their row.</summary>
    public const int DefaultMaxFieldLength = 4096;

    /// <summary>A replacement is held when the share of its rows it rejects exceeds the replaced delivery's share by more than this.</summary>
    public const decimal DefaultHoldRejectRate = 0.05m;

    public string Extract { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>
    /// The core extract this contract's rows also feed (<c>subscription</c>, <see cref="CoreSnapshot"/>): a churn snapshot
    /// of another layout reaches every report, cube and the model through its own contract only.
    /// </summary>
    public string? Target { get; set; }
    public string FilePattern { get; set; } = "";
    public string DateFormat { get; set; } = "yyyyMMdd";

    /// <summary>A fixed business date for every file of this contract (yyyy-MM-dd), for names without a date.</summary>
    public string? BusinessDate { get; set; }

    /// <summary>A date column whose latest value is the file's business date.</summary>
    public string? BusinessDateColumn { get; set; }

    public string Cadence { get; set; } = "monthly";
    public int? FreshnessDays { get; set; }
    public string Encoding { get; set; } = "utf-8";
    public string Delimiter { get; set; } = ",";
    public string Quote { get; set; } = "\"";
    public int LoadOrder { get; set; } = 40;

    /// <summary>Values (after trimming, any letter case) that mean "no value" in every column; the empty string always does.</summary>
    public List<string> NullTokens { get; set; } = [];

    public int MaxFieldLength { get; set; } = DefaultMaxFieldLength;

    /// <summary>A delivery with a header and no rows is normal for this extract (an event feed with a quiet day).</summary>
    public bool AllowEmpty { get; set; }

    public decimal HoldRejectRate { get; set; } = DefaultHoldRejectRate;

    public List<string> Keys { get; set; } = [];
    public List<ColumnContract> Columns { get; set; } = [];
    public List<ReferenceContract> References { get; set; } = [];

    /// <summary>Row rules across columns: an expression that must not be false, and the reason stored when it is.</summary>
    public List<RowCheck> Checks { get; set; } = [];

    /// <summary>
    /// The file the contract was read from (empty for a contract built in code). Not part of the contract's fingerprint
    /// (JSON): the same contract read from another folder, as after a release into a new directory, is not a change.
    /// </summary>
    [YamlIgnore, JsonIgnore]
    public string SourceFile { get; set; } = "";

    /// <summary>Where each field stands in the yaml, for messages; not part of the fingerprint (a comment moved is no change).</summary>
    [YamlIgnore, JsonIgnore]
    public YamlLines Lines { get; set; } = YamlLines.None;

    public string StagingTable => $"stg.{Extract}";

    /// <summary>Where an error about a node of this contract is: <c>file:line</c>.</summary>
    public string Where(string path) =>
        $"{(SourceFile.Length == 0 ? Extract + ".yaml" : SourceFile)}:{Lines.LineOf(path)}";

    private Regex? _pattern;
    internal Regex Pattern => _pattern ??= new Regex(FilePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public bool DateFromFileName => BusinessDate is null && BusinessDateColumn is null;

    /// <summary>
    /// The business date and delivery sequence a file name carries, or null when the name is not this extract's.
    /// The date is null when it comes from a column (known once the file is read), and when the name matches the
    /// pattern but its <c>(?&lt;date&gt;…)</c> is no date in <see cref="DateFormat"/>: then <c>DateProblem</c> says so.
    /// </summary>
    public (DateOnly? BusinessDate, int Sequence, string? DateProblem)? MatchFileName(string fileName)
    {
        Match m;
        try
        {
            m = Pattern.Match(fileName);
        }
        catch (RegexMatchTimeoutException)
        {
            // a pattern that backtracks for a second on a file name matches nothing rather than stall the loader
            return null;
        }
        if (!m.Success)
        {
            return null;
        }
        var seq = m.Groups["seq"].Success && int.TryParse(m.Groups["seq"].Value, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (BusinessDate is { } fixedDate)
        {
            return (DateOnly.ParseExact(fixedDate, "yyyy-MM-dd", CultureInfo.InvariantCulture), seq, null);
        }
        if (BusinessDateColumn is not null)
        {
            return (null, seq, null);
        }
        if (!DateOnly.TryParseExact(m.Groups["date"].Value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (null, seq, $"the file name's date '{m.Groups["date"].Value}' is not a date in the contract's date_format {DateFormat}");
        }
        return (date, seq, null);
    }

    /// <summary>
    /// The part of its business date's delivery a file name carries, the <c>(?&lt;part&gt;…)</c> of the file pattern: the
    /// files of one date with different parts are added together (one delivery split into several files), a file replaces
    /// only the earlier deliveries of its own part. Empty for a name without a part (and a pattern without the capture).
    /// </summary>
    public string PartOf(string fileName) => Capture(fileName, "part");

    /// <summary>
    /// Whether a delivery replaces a loaded one of the same business date: the same part, or another split of the date —
    /// a whole file against parts, or parts of another total, the <c>(?&lt;parts&gt;…)</c> of the file pattern (a date
    /// delivered again in 2 files after 3 replaces all 3). Parts of one split add up.
    /// </summary>
    public bool Replaces(string fileName, string loadedFileName) =>
        PartOf(fileName) == PartOf(loadedFileName) || Split(fileName) != Split(loadedFileName);

    /// <summary>The split a file belongs to: "" a whole file, else its total of parts ("*" when the pattern has none).</summary>
    private string Split(string fileName) =>
        PartOf(fileName).Length == 0 ? "" : Capture(fileName, "parts") is { Length: > 0 } parts ? parts.TrimStart('0') : "*";

    private string Capture(string fileName, string group)
    {
        try
        {
            return Pattern.Match(fileName) is { Success: true } m && m.Groups[group].Success ? m.Groups[group].Value : "";
        }
        catch (RegexMatchTimeoutException)
        {
            return "";
        }
    }

    public int FreshnessLimitDays => FreshnessDays ?? (Cadence == "daily" ? 3 : 45);

    public ColumnContract? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

public sealed class ColumnContract
{
    public string Name { get; set; } = "";
    public string? Source { get; set; }
    public List<string> Aliases { get; set; } = [];
    public string Type { get; set; } = "varchar";
    public bool Required { get; set; }

    /// <summary>Required when this other column of the contract has a value.</summary>
    public string? RequiredIf { get; set; }

    /// <summary>Required when this expression over the file's columns is true.</summary>
    public string? RequiredWhen { get; set; }

    /// <summary>The value is this expression over the file's columns (instead of a source column).</summary>
    public string? Expr { get; set; }

    /// <summary>The same value for every row (instead of a source column).</summary>
    public string? Constant { get; set; }

    /// <summary>The value when the source gives none (after null tokens and mapping).</summary>
    public string? Default { get; set; }

    /// <summary>Null tokens of this column, in addition to the contract's.</summary>
    public List<string>? NullTokens { get; set; }

    public string? Format { get; set; }

    /// <summary>Source value → target value; a null target makes the value null.</summary>
    public Dictionary<string, string?>? Map { get; set; }

    public List<string>? Allowed { get; set; }
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }
    public string? Pattern { get; set; }
    public int? MaxLength { get; set; }
    public bool Personal { get; set; }
    public List<string>? TrueValues { get; set; }
    public List<string>? FalseValues { get; set; }
    public string? DecimalSeparator { get; set; }

    /// <summary>
    /// The character that groups thousands in this column's numbers (<c>1.234,56</c> with <c>'.'</c> and a decimal comma):
    /// removed before the cast when the groups are whole. Left out of the fingerprint when unset, as contracts before it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ThousandsSeparator { get; set; }

    /// <summary>
    /// False for a column the churn model must never learn from: the label itself in another form, or what is known only
    /// once a customer has left (churn category and reason are never features either way).
    /// </summary>
    public bool Feature { get; set; } = true;

    public bool IsDerived => Expr is not null;
    public bool IsConstant => Constant is not null;
    public bool ReadsSource => !IsDerived && !IsConstant;

    public string SourceName => Source ?? Name;
    public IEnumerable<string> AcceptedHeaders => Aliases.Prepend(SourceName);

    [YamlIgnore]
    internal Expr? ParsedExpr { get; set; }

    [YamlIgnore]
    internal Expr? ParsedRequiredWhen { get; set; }
}

public sealed class ReferenceContract
{
    public string Column { get; set; } = "";
    public string Extract { get; set; } = "";
    public string Key { get; set; } = "";
}

public sealed class RowCheck
{
    public string Expr { get; set; } = "";
    public string? Message { get; set; }

    [YamlIgnore]
    internal Expr? Parsed { get; set; }
}
