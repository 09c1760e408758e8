using System.Text.RegularExpressions;
using RetentionAnalytics.Core.Definitions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>A contract that cannot be used, where it is wrong and why; files that look like its deliveries are refused with it.</summary>
public sealed record ContractProblem(string File, int Line, string Extract, string Message, Regex? FilePattern = null)
{
    public override string ToString() => $"{File}:{Line}: {Message}";

    /// <summary>A file name this contract was meant for: its pattern if it has one, else <c>&lt;extract&gt;_…</c>.</summary>
    public bool Claims(string fileName) =>
        FilePattern?.IsMatch(fileName)
        ?? (fileName.StartsWith(Extract + "_", StringComparison.OrdinalIgnoreCase)
            || fileName.Equals(Extract + ".csv", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Which contract a delivered file belongs to, with the business date and sequence its name carries; or the broken contract that claims it.</summary>
/// <remarks><c>NameProblem</c>: the name matches the contract's pattern, but its date is no date in the contract's date_format.</remarks>
public sealed record ContractMatch(ExtractContract? Contract, DateOnly? BusinessDate, int Sequence, ContractProblem? Problem = null,
    string? NameProblem = null);

/// <summary>
/// The extract contracts in use. Contracts are validated when read: a broken one does not stop the others — its
/// problems are kept (<see cref="Problems"/>, <c>ra check</c>) and the files it claims are refused with the reason.
/// </summary>
public sealed class ContractCatalog
{
    private volatile State _state;

    private sealed record State(Dictionary<string, ExtractContract> ByName, IReadOnlyList<ContractProblem> Problems);

    /// <summary>Contracts built in code: the first problem throws (a test or a caller that must not run with it).</summary>
    public ContractCatalog(IEnumerable<ExtractContract> contracts)
    {
        _state = Build(contracts.ToList(), []);
        if (_state.Problems.Count > 0)
        {
            var p = _state.Problems[0];
            throw new ContractException(p.Extract, p.Message);
        }
    }

    private ContractCatalog(State state) => _state = state;

    public IReadOnlyCollection<ExtractContract> All => _state.ByName.Values;

    public IReadOnlyList<ContractProblem> Problems => _state.Problems;

    public ExtractContract? Find(string extract) => _state.ByName.GetValueOrDefault(extract);

    /// <summary>The contract whose file pattern matches the file name, or a broken contract that claims it; null when none does.</summary>
    public ContractMatch? Match(string fileName)
    {
        var state = _state;
        ContractMatch? undated = null;
        foreach (var c in state.ByName.Values.OrderBy(c => c.Extract, StringComparer.Ordinal))
        {
            if (c.MatchFileName(fileName) is { } m)
            {
                if (m.DateProblem is null)
                {
                    return new ContractMatch(c, m.BusinessDate, m.Sequence);
                }
                // a name whose date does not read is this contract's unless another contract takes it
                undated ??= new ContractMatch(c, null, m.Sequence, NameProblem: m.DateProblem);
            }
        }
        if (undated is not null)
        {
            return undated;
        }
        return state.Problems.FirstOrDefault(p => p.Claims(fileName)) is { } problem
            ? new ContractMatch(null, null, 0, problem)
            : null;
    }

    /// <summary>Takes the contracts of another catalogue (a reload); loads in flight keep the contract they started with.</summary>
    public void ReplaceWith(ContractCatalog other) => _state = other._state;

    public static ContractCatalog LoadFolder(string folder) =>
        Directory.Exists(folder)
            ? Load(Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal), Unread([folder]))
            : throw new DirectoryNotFoundException($"contract folder {folder} not found");

    public static ContractCatalog Load(DefinitionFolders folders) =>
        Load(folders.Files(DefinitionFolders.Contracts), Unread(folders.FoldersOf(DefinitionFolders.Contracts)));

    /// <summary>
    /// Files of a contract folder that look like contracts but are not read, because only <c>*.yaml</c> is: a contract
    /// saved as <c>.yml</c>, <c>.YAML</c> or <c>.json</c> would otherwise be missing without a word, and its deliveries
    /// 'unrecognised'. Each is a problem that claims the files named after it.
    /// </summary>
    private static IEnumerable<ContractProblem> Unread(IEnumerable<string> folders) =>
        folders.SelectMany(folder => Directory.GetFiles(folder))
            .Where(f => Path.GetExtension(f) is var ext && ext != ".yaml"
                        && (ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yml", StringComparison.OrdinalIgnoreCase)
                            || ext.Equals(".json", StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .Select(f => new ContractProblem(f, 1, Path.GetFileNameWithoutExtension(f),
                $"not read: contracts are YAML files ending in .yaml (rename it to {Path.GetFileNameWithoutExtension(f)}.yaml)"));

    /// <summary>Reads every file; problems are collected, never thrown.</summary>
    public static ContractCatalog Load(IEnumerable<string> files, IEnumerable<ContractProblem>? unread = null)
    {
        var contracts = new List<ExtractContract>();
        var problems = new List<ContractProblem>(unread ?? []);
        foreach (var file in files)
        {
            try
            {
                contracts.Add(Parse(File.ReadAllText(file), file));
            }
            catch (ContractFileException ex)
            {
                problems.Add(new ContractProblem(file, ex.Line, Path.GetFileNameWithoutExtension(file), ex.Message));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new ContractProblem(file, 1, Path.GetFileNameWithoutExtension(file), $"cannot be read: {ex.Message}"));
            }
        }
        return new ContractCatalog(Build(contracts, problems));
    }

    /// <summary>Reads one contract's YAML; a syntax or shape error throws <see cref="ContractFileException"/> with its line.</summary>
    public static ExtractContract Parse(string yaml, string sourceFile = "")
    {
        ExtractContract? contract;
        try
        {
            contract = Deserializer.Deserialize<ExtractContract>(yaml);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            var why = YamlErrors.Reason(ex);
            throw new ContractFileException((int)ex.Start.Line, $"invalid YAML: {why}");
        }
        if (contract is null)
        {
            throw new ContractFileException(1, "empty contract");
        }
        // a key written with no value (keys:) reads as null; it means an empty list
        contract.Keys ??= [];
        contract.Columns ??= [];
        contract.References ??= [];
        contract.Checks ??= [];
        contract.NullTokens ??= [];
        foreach (var column in contract.Columns.OfType<ColumnContract>())
        {
            column.Aliases ??= [];
        }
        contract.References.RemoveAll(r => r is null);
        contract.Checks.RemoveAll(k => k is null);
        contract.SourceFile = sourceFile;
        contract.Lines = YamlLines.Of(yaml);
        return contract;
    }

    private static State Build(List<ExtractContract> contracts, List<ContractProblem> problems)
    {
        var valid = new Dictionary<string, ExtractContract>(StringComparer.OrdinalIgnoreCase);
        var checkedOnce = new List<ExtractContract>();
        foreach (var c in contracts)
        {
            var found = ContractValidator.Validate(c);
            if (found.Count == 0 && valid.TryGetValue(c.Extract, out var first))
            {
                found.Add(("extract", $"extract {c.Extract} is also declared in {first.Where("extract")}"));
            }
            if (found.Count > 0)
            {
                problems.AddRange(found.Select(f => Problem(c, f.Path, f.Message)));
                continue;
            }
            valid[c.Extract] = c;
            checkedOnce.Add(c);
        }
        // references need the other contracts; a contract whose reference is broken is itself unusable
        foreach (var c in checkedOnce)
        {
            for (var i = 0; i < c.References.Count; i++)
            {
                var r = c.References[i];
                if (!valid.TryGetValue(r.Extract, out var target) || target.Columns.All(t => t.Name != r.Key))
                {
                    problems.Add(Problem(c, $"references[{i}]", $"reference {r.Column} → {r.Extract}.{r.Key} names no known extract column"));
                    valid.Remove(c.Extract);
                }
            }
        }
        return new State(valid, problems);
    }

    private static ContractProblem Problem(ExtractContract c, string path, string message)
    {
        Regex? pattern = null;
        try
        {
            pattern = string.IsNullOrWhiteSpace(c.FilePattern) ? null : c.Pattern;
        }
        catch (ArgumentException)
        {
            // a pattern that does not compile: the file name decides which deliveries the contract meant
        }
        var extract = string.IsNullOrWhiteSpace(c.Extract)
            ? Path.GetFileNameWithoutExtension(c.SourceFile)
            : c.Extract;
        return new ContractProblem(c.SourceFile.Length == 0 ? $"{extract}.yaml" : c.SourceFile, c.Lines.LineOf(path), extract,
            message, pattern);
    }

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();
}

public sealed class ContractException(string extract, string message)
    : Exception($"contract {extract}: {message}");

/// <summary>A contract file that does not parse, with the line the parser stopped at.</summary>
public sealed class ContractFileException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
