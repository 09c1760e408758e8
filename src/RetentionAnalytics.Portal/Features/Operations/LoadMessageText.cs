using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Operations;

/// <summary>
/// A load's message (meta.load_audit.message, as the loader in <c>Core/Etl/Loading</c> and a held load's release or
/// discard word it in English for the command line) in the reader's language: a catalogue of the loader's sentences,
/// each a pattern and the resource that says it, its numbers and dates written in the reader's culture, and what it
/// quotes (file and column names, contract problems, an engine's error, a delivered value) kept verbatim. A message of
/// several notes joined by <c>; </c> is worded note by note; a note the catalogue does not know stays as stored.
/// </summary>
public sealed partial class LoadMessageText(IStringLocalizer<EtlResource> t)
{
    /// <summary>How a pattern's group is put into its sentence.</summary>
    private enum Arg
    {
        /// <summary>A count the loader wrote with separators (1,234): written again in the reader's culture.</summary>
        Count,

        /// <summary>A yyyy-MM-dd date: written in the reader's culture.</summary>
        Date,

        /// <summary>Names, identifiers and engine text: quoted as stored.</summary>
        Quoted,

        /// <summary>A yyyy-MM-dd HH:mm time: written in the reader's culture.</summary>
        Time,

        /// <summary>Plain figures (load ids, shares): shown as they are.</summary>
        Plain,

        /// <summary>A message of its own inside the sentence (the note a release was given): worded in turn.</summary>
        Message,

        /// <summary>What a file's first bytes say it is (<see cref="FileKinds"/>): named in the reader's language.</summary>
        FileKind,
    }

    private sealed record Sentence(Regex Pattern, string Key, params (string Group, Arg Kind)[] Args);

    private const string Day = @"\d{4}-\d{2}-\d{2}";
    private const string Number = @"\d[\d,.\u00a0\u202f' ]*";
    private const string Share = @"[\d.,]+\s?%";

    private static Sentence S(string pattern, string key, params (string, Arg)[] args) =>
        new(new Regex("^" + pattern + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant), key, args);

    /// <summary>Whole messages, tried before a message is split into its notes (some hold a <c>; </c> of their own).</summary>
    private static readonly Sentence[] Whole =
    [
        S($@"released by (?<who>\S+) at (?<at>{Day} \d{{2}}:\d{{2}}) after review; (?<rest>.*)", "LoadMsg_Released",
            ("who", Arg.Quoted), ("at", Arg.Time), ("rest", Arg.Message)),
        S($@"discarded by (?<who>\S+) at (?<at>{Day} \d{{2}}:\d{{2}}) after review, with (?<n>{Number}) row\(s\) that passed the checks; (?<rest>.*)",
            "LoadMsg_Discarded", ("who", Arg.Quoted), ("at", Arg.Time), ("n", Arg.Count), ("rest", Arg.Message)),
        S($@"held for review: rejects (?<rate>{Share}) of its rows, above (?<limit>{Share}) \(load (?<prev>\d+)'s (?<prate>{Share}) plus hold_reject_rate (?<hold>{Share})\); (?<date>{Day}) keeps its loaded data\. ra release (?<id>\d+) replaces it anyway, ra release \k<id> --discard drops it",
            "LoadMsg_Held", ("rate", Arg.Plain), ("limit", Arg.Plain), ("prev", Arg.Plain), ("prate", Arg.Plain), ("hold", Arg.Plain), ("date", Arg.Date), ("id", Arg.Plain)),
        S(@"identical to load (?<id>\d+); nothing added", "LoadMsg_Identical", ("id", Arg.Plain)),
        S(@"identical to load (?<id>\d+), which is held for review; release or discard it \(ra release \k<id> \[--discard\]\)", "LoadMsg_IdenticalHeld", ("id", Arg.Plain)),
        S($@"identical to load (?<id>\d+), which a later delivery of (?<date>{Day}) has replaced since; nothing added \(load it with --replace to bring it back\)",
            "LoadMsg_IdenticalReplaced", ("id", Arg.Plain), ("date", Arg.Date)),
        S(@"same file name as load (?<id>\d+) but different content; not merged\. Deliver the correction as (?<name>.+) or load it with --replace",
            "LoadMsg_ConflictRename", ("id", Arg.Plain), ("name", Arg.Quoted)),
        S(@"same file name as load (?<id>\d+) but different content; not merged\. This contract's file names carry no delivery sequence \(\?<seq>\); load the correction with --replace",
            "LoadMsg_ConflictReplace", ("id", Arg.Plain)),
        S($@"all (?<n>{Number}) row\(s\) rejected, nothing loaded; first reasons: (?<reasons>.*)", "LoadMsg_AllRejected", ("n", Arg.Count), ("reasons", Arg.Quoted)),
        S(@"the loader could not process this file \((?<type>\w+)\): (?<error>.*)", "LoadMsg_LoaderFailed", ("type", Arg.Quoted), ("error", Arg.Quoted)),
        S(@"the contract for this file is invalid: (?<problem>.*) \(and (?<n>\d+) more problem\(s\); run ra check\)", "LoadMsg_ContractInvalidMore", ("problem", Arg.Quoted), ("n", Arg.Count)),
        S(@"the contract for this file is invalid: (?<problem>.*)", "LoadMsg_ContractInvalid", ("problem", Arg.Quoted)),
        S(@"the file cannot be read as CSV with delimiter '(?<delimiter>.*)' and quote '(?<quote>.*)': (?<error>.*)", "LoadMsg_NotCsv",
            ("delimiter", Arg.Quoted), ("quote", Arg.Quoted), ("error", Arg.Quoted)),
        S(@"no data rows: the file holds only its header \(set allow_empty: true in the contract when an empty delivery is normal for this extract\)", "LoadMsg_NoDataRows"),
        S(@"file rejected: (?<rest>.*)", "LoadMsg_FileRejected", ("rest", Arg.Message)),
        // the bytes refused before the file is read (Core/Etl/Loading/FileInspection.cs)
        S($@"the file is not UTF-8 as its contract says: (?<n>{Number}) invalid byte sequence\(s\), the first on line (?<line>{Number}), and no valid UTF-8 characters outside ASCII; it looks like GBK/GB18030 — deliver it in UTF-8 or set the contract's encoding",
            "LoadMsg_NotUtf8", ("n", Arg.Count), ("line", Arg.Count)),
        S(@"the file starts with a UTF-8 byte order mark, but its contract says (?<encoding>\S+); deliver it in \k<encoding> or set the contract's encoding to utf-8",
            "LoadMsg_UnexpectedBom", ("encoding", Arg.Quoted)),
        S($@"the file is UTF-8 \((?<n>{Number}) character\(s\) outside ASCII, all valid UTF-8\), but its contract says (?<encoding>\S+); read as \k<encoding> its text would be garbled — deliver it in \k<encoding> or set the contract's encoding to utf-8",
            "LoadMsg_Utf8NotDeclared", ("n", Arg.Count), ("encoding", Arg.Quoted)),
        S(@"the file is (?<kind>.+), not CSV text; deliver it as plain CSV text in the contract's encoding", "LoadMsg_NotText", ("kind", Arg.FileKind)),
        S($@"the file is binary data, not CSV text \((?<share>{Share}) control bytes in its first 64 KiB\)", "LoadMsg_Binary", ("share", Arg.Plain)),
        S(@"the file's lines end in a carriage return alone \(CR, old Mac style\), which the reader does not split; deliver it with LF or CRLF line endings",
            "LoadMsg_CrOnly"),
    ];

    /// <summary>What the first bytes of a file that is not text say it is, as the loader names it, and its resource.</summary>
    private static readonly Dictionary<string, string> FileKinds = new(StringComparer.Ordinal)
    {
        ["gzip-compressed data"] = "FileKind_Gzip",
        ["a ZIP archive (or an Excel workbook)"] = "FileKind_Zip",
        ["bzip2-compressed data"] = "FileKind_Bzip2",
        ["xz-compressed data"] = "FileKind_Xz",
        ["zstd-compressed data"] = "FileKind_Zstd",
        ["a 7-Zip archive"] = "FileKind_SevenZip",
        ["an old Excel (.xls) or Office document"] = "FileKind_OldOffice",
        ["a PDF document"] = "FileKind_Pdf",
        ["a Parquet file"] = "FileKind_Parquet",
        ["UTF-16 text (little endian)"] = "FileKind_Utf16Le",
        ["UTF-16 text (big endian)"] = "FileKind_Utf16Be",
    };

    /// <summary>The notes a message may be made of.</summary>
    private static readonly Sentence[] Notes =
    [
        S(@"ok", "LoadMsg_Ok"),
        S($@"(?<n>{Number}) row\(s\) rejected", "LoadMsg_Rejected", ("n", Arg.Count)),
        S($@"replaced (?<n>{Number}) row\(s\) of an earlier delivery", "LoadMsg_ReplacedRows", ("n", Arg.Count)),
        S(@"ignored column\(s\) (?<columns>.+)", "LoadMsg_IgnoredColumns", ("columns", Arg.Quoted)),
        S(@"optional column\(s\) (?<columns>.+) not delivered, left empty", "LoadMsg_AbsentColumns", ("columns", Arg.Quoted)),
        S($@"added to (?<n>\d+) other part\(s\) of (?<date>{Day}) \(load\(s\) (?<loads>[\d, ]+)\)", "LoadMsg_AddedToParts",
            ("n", Arg.Count), ("date", Arg.Date), ("loads", Arg.Plain)),
        S($@"it replaced (?<files>.+), a file of another name for (?<date>{Day}): if the files are parts of one delivery, name the part in the contract's file_pattern with \(\?<part>…\) so that they add up \(etl/README\.md\)",
            "LoadMsg_ReplacedRenamed", ("files", Arg.Quoted), ("date", Arg.Date)),
        S(@"replaced by load (?<id>\d+)", "LoadMsg_ReplacedBy", ("id", Arg.Plain)),
        S($@"delivery (?<seq>\d+) is older than the loaded delivery (?<current>\d+) of (?<date>{Day})", "LoadMsg_Stale",
            ("seq", Arg.Plain), ("current", Arg.Plain), ("date", Arg.Date)),
        S($@"delivery (?<seq>\d+) is older than the loaded delivery (?<current>\d+) of (?<date>{Day}) \(part (?<part>[^)]+)\)", "LoadMsg_StalePart",
            ("seq", Arg.Plain), ("current", Arg.Plain), ("date", Arg.Date), ("part", Arg.Quoted)),
        S(@"no extract contract matches this file name", "LoadMsg_Unrecognised"),
        S(@"empty file: no header line", "LoadMsg_EmptyFile"),
        S(@"no business date: column (?<column>\S+) \((?<source>.*)\) holds no valid date in any row", "LoadMsg_NoBusinessDate",
            ("column", Arg.Quoted), ("source", Arg.Quoted)),
        S(@"header names column (?<column>.+) twice", "LoadMsg_HeaderTwice", ("column", Arg.Quoted)),
        S(@"header lacks required column\(s\) (?<missing>.+) \(found: (?<found>.*)\)", "LoadMsg_HeaderLacks", ("missing", Arg.Quoted), ("found", Arg.Quoted)),
        S(@"the contract's expressions read column\(s\) (?<columns>.+), which the header lacks \(found: (?<found>.*)\)", "LoadMsg_ExpressionsLack",
            ("columns", Arg.Quoted), ("found", Arg.Quoted)),
        S($@"the first line is longer than (?<n>{Number}) characters: it is not a CSV header", "LoadMsg_HeaderTooLong", ("n", Arg.Count)),
    ];

    public Phrase Render(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return Phrase.Empty;
        }
        if ((Match(Whole, message) ?? Match(Notes, message)) is { } whole)
        {
            return whole;
        }
        return Phrase.Join(t["LoadMsg_Separator"], message.Split("; ").Select(note => Match(Notes, note) ?? Phrase.Verbatim(note)));
    }

    private Phrase? Match(Sentence[] sentences, string text)
    {
        foreach (var sentence in sentences)
        {
            if (sentence.Pattern.Match(text) is { Success: true } m && t[sentence.Key] is { ResourceNotFound: false } format)
            {
                return Phrase.Format(format, sentence.Args.Select(a => Value(m.Groups[a.Group].Value, a.Kind)).ToArray());
            }
        }
        return null;
    }

    private object Value(string text, Arg kind) => kind switch
    {
        Arg.Count => long.TryParse(NotDigit().Replace(text, ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n.ToString("N0", CultureInfo.CurrentCulture)
            : Phrase.Verbatim(text),
        Arg.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("d", CultureInfo.CurrentCulture)
            : Phrase.Verbatim(text),
        Arg.Time => DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToString("g", CultureInfo.CurrentCulture)
            : Phrase.Verbatim(text),
        Arg.Quoted => Phrase.Verbatim(text),
        Arg.Message => Render(text),
        Arg.FileKind => FileKinds.TryGetValue(text, out var key) && t[key] is { ResourceNotFound: false } named
            ? named.Value
            : Phrase.Verbatim(text),
        _ => text,
    };

    [GeneratedRegex(@"\D")]
    private static partial Regex NotDigit();
}
