using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>The name a corrected re-delivery of a file should have, by the contract's own file pattern.</summary>
internal static partial class RedeliveryName
{
    private static readonly (string Before, string After)[] Separators = [("_", ""), ("-", ""), (".", ""), ("", "")];

    /// <summary>A name the contract's pattern matches with delivery sequence <paramref name="sequence"/>; null when its names carry none.</summary>
    public static string? Suggest(ExtractContract contract, string fileName, int sequence)
    {
        var pattern = contract.Pattern;
        if (!pattern.GetGroupNames().Contains("seq"))
        {
            return null;
        }
        var m = pattern.Match(fileName);
        if (!m.Success)
        {
            return null;
        }
        var seq = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var candidates = new List<string>();
        var group = m.Groups["seq"];
        if (group.Success)
        {
            candidates.Add(fileName[..group.Index] + seq + fileName[(group.Index + group.Length)..]);
        }
        else
        {
            // the sequence is optional and absent: insert it with the literal text the pattern puts around it, or a
            // usual separator, after the date, before the extension or at the start
            var positions = new List<int>();
            if (m.Groups["date"] is { Success: true } date)
            {
                positions.Add(date.Index + date.Length);
            }
            var dot = fileName.LastIndexOf('.');
            positions.Add(dot > 0 ? dot : fileName.Length);
            positions.Add(0);
            var around = SequenceGroup().Match(contract.FilePattern) is { Success: true } g
                ? [(Regex.Unescape(g.Groups["before"].Value), Regex.Unescape(g.Groups["after"].Value)), .. Separators]
                : Separators;
            candidates.AddRange(positions.SelectMany(p => around.Select(a => fileName[..p] + a.Before + seq + a.After + fileName[p..])));
        }
        return candidates.FirstOrDefault(c => Fits(pattern, c, sequence));
    }

    /// <summary>An optional group around the sequence with only literal text beside it, e.g. <c>(?:-v(?&lt;seq&gt;\d+))?</c>.</summary>
    [GeneratedRegex(@"\(\?:(?<before>(?:\\.|[^()\\\[\]{}*+?|^$])*)\(\?<seq>[^)]*\)(?<after>(?:\\.|[^()\\\[\]{}*+?|^$])*)\)\?")]
    private static partial Regex SequenceGroup();

    private static bool Fits(Regex pattern, string name, int sequence) =>
        pattern.Match(name) is { Success: true } m && m.Groups["seq"].Success
        && int.TryParse(m.Groups["seq"].Value, out var s) && s == sequence;
}
