using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Definitions;

/// <summary>One thing wrong with a definition file, where a person finds it.</summary>
public sealed record DefinitionProblem(string Kind, string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>
/// Every definition read and checked: how many of each kind are usable, and what is wrong with the rest. Notes are
/// worth saying but no problem: a report or scenario that needs an extract the contract folder checked on its own lacks.
/// </summary>
public sealed record DefinitionReport(IReadOnlyDictionary<string, int> Valid, IReadOnlyList<DefinitionProblem> Problems, bool Applied = false)
{
    public IReadOnlyList<DefinitionProblem> Notes { get; init; } = [];

    public bool Ok => Problems.Count == 0;

    public override string ToString() =>
        string.Join(", ", Valid.Select(kv => $"{kv.Value} {kv.Key}")) + (Ok ? "" : $"; {Problems.Count} problem(s)");
}

/// <summary>
/// Reads every definition — contracts, fixed reports, cubes, scenarios — from the definitions folders, the way the
/// CLI, the inbox and the portal will, and reports each problem as <c>file:line: message</c>. Reads files only:
/// the warehouse is not needed, so an operator can check a change while the portal runs.
/// </summary>
public static partial class DefinitionCheck
{
    public const string Contracts = "contracts";
    public const string Reports = "reports";
    public const string Cubes = "cubes";
    public const string Scenarios = "scenarios";

    /// <summary>
    /// Checks every definition. With <paramref name="unmetNeedsAreNotes"/> (a contract folder checked on its own, as
    /// <c>ra check --contracts DIR</c> does), a report, cube or scenario whose <c>requires:</c> names an extract the folder
    /// has no contract for is a note, not a problem: the folder need not deliver what every shipped report reads.
    /// </summary>
    public static DefinitionReport Run(DefinitionFolders folders, SqlFiles sql, bool unmetNeedsAreNotes = false)
    {
        var problems = new List<DefinitionProblem>();
        var notes = new List<DefinitionProblem>();
        var valid = new Dictionary<string, int>(StringComparer.Ordinal);
        var unmet = unmetNeedsAreNotes ? notes : null;

        var contracts = ContractCatalog.Load(folders);
        valid[Contracts] = contracts.All.Count;
        problems.AddRange(contracts.Problems.Select(p => new DefinitionProblem(Contracts, p.File, p.Line, p.Message)));

        valid[Reports] = Each(Reports, folders.Files(DefinitionFolders.Reports), problems,
            file => CheckRequires(Reports, file, ReportCatalog.LoadFile(file, sql).Requires, contracts, unmet));
        valid[Cubes] = Each(Cubes, folders.Files(DefinitionFolders.Cubes), problems, file =>
        {
            var cube = CubeCatalog.LoadFile(file);
            if (!sql.Exists(cube.Source))
            {
                throw new CubeDefinitionException(cube.Id, $"source '{cube.Source}' not found under {string.Join(" or ", sql.Roots)}");
            }
            CheckRequires(Cubes, file, cube.Requires, contracts, unmet);
        });
        valid[Scenarios] = Each(Scenarios, sql.List(ScenarioCatalog.Folder, "*.yaml").Select(f => sql.Find(f)!).ToList(), problems,
            file => CheckRequires(Scenarios, file, ScenarioCatalog.LoadFile(file, sql).Requires, contracts, unmet));
        return new DefinitionReport(valid, problems) { Notes = notes };
    }

    /// <summary>
    /// A <c>requires:</c> entry is an extract some contract delivers, or a schema-qualified table: anything else is the
    /// definition's problem (thrown), except an extract no contract delivers when <paramref name="unmet"/> takes it as a note.
    /// </summary>
    private static void CheckRequires(string kind, string file, IEnumerable<string> requires, ContractCatalog contracts, List<DefinitionProblem>? unmet)
    {
        foreach (var name in requires)
        {
            var wellFormed = RequiredName().IsMatch(name ?? "");
            if (wellFormed && (name!.Contains('.', StringComparison.Ordinal) || name == CoreSnapshot.Extract || contracts.Find(name) is not null))
            {
                continue;
            }
            var message = $"requires: '{name}' is neither the extract of a contract ({string.Join(", ", contracts.All.Select(c => c.Extract).Order(StringComparer.Ordinal))}) nor a table (schema.table)";
            if (!wellFormed || unmet is null)
            {
                throw new InvalidDataException(message);
            }
            unmet.Add(new DefinitionProblem(kind, file, LineOf(file, message), message));
        }
    }

    [GeneratedRegex(@"^(stg|dw|mart|det|ops)\.[a-z][a-z0-9_]*$|^[a-z][a-z0-9_]*$")]
    private static partial Regex RequiredName();

    private static int Each(string kind, IReadOnlyList<string> files, List<DefinitionProblem> problems, Action<string> load)
    {
        var ok = 0;
        foreach (var file in files)
        {
            try
            {
                load(file);
                ok++;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var message = Unprefixed(ex.Message, file);
                problems.Add(new DefinitionProblem(kind, file, LineOf(file, ex.Message), message));
            }
        }
        return ok;
    }

    /// <summary>The validators prefix their messages with the definition's name; the file:line already says it.</summary>
    private static string Unprefixed(string message, string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        foreach (var prefix in new[] { $"report {name}.yaml: ", $"cube {name}: ", $"{name}.yaml: " })
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal))
            {
                return message[prefix.Length..];
            }
        }
        return message;
    }

    /// <summary>
    /// The line a validator's message is about: the parser's own position for YAML errors, else the first line that
    /// holds a name the message quotes ('name'), else the first line.
    /// </summary>
    internal static int LineOf(string file, string message)
    {
        if (YamlPosition().Match(message) is { Success: true } position)
        {
            return int.Parse(position.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (IOException)
        {
            return 1;
        }
        foreach (Match quoted in Quoted().Matches(message))
        {
            var token = quoted.Groups[1].Value;
            if (token.Length == 0)
            {
                continue;
            }
            var word = new Regex($@"(?<![\w]){Regex.Escape(token)}(?![\w])");
            for (var i = 0; i < lines.Length; i++)
            {
                if (word.IsMatch(lines[i]))
                {
                    return i + 1;
                }
            }
        }
        return 1;
    }

    [GeneratedRegex(@"Line: (\d+), Col")]
    private static partial Regex YamlPosition();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
