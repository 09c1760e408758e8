using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>All extract contracts of a folder, validated on load so that a bad contract fails at start, not mid-delivery.</summary>
public sealed partial class ContractCatalog
{
    private readonly Dictionary<string, ExtractContract> _byName;

    public ContractCatalog(IEnumerable<ExtractContract> contracts)
    {
        var list = contracts.ToList();
        foreach (var c in list)
        {
            Validate(c);
        }
        _byName = list.ToDictionary(c => c.Extract, StringComparer.OrdinalIgnoreCase);
        foreach (var c in list)
        {
            foreach (var r in c.References)
            {
                if (!_byName.TryGetValue(r.Extract, out var target) || target.Columns.All(t => t.Name != r.Key))
                {
                    throw new ContractException(c.Extract, $"reference {r.Column} → {r.Extract}.{r.Key} names no known extract column");
                }
            }
        }
    }

    public IReadOnlyCollection<ExtractContract> All => _byName.Values;

    public ExtractContract? Find(string extract) => _byName.GetValueOrDefault(extract);

    /// <summary>The contract whose file pattern matches the file name, with the business date the name carries.</summary>
    public (ExtractContract Contract, DateOnly BusinessDate, int Sequence)? Match(string fileName)
    {
        foreach (var c in _byName.Values)
        {
            if (c.MatchFileName(fileName) is { } m)
            {
                return (c, m.BusinessDate, m.Sequence);
            }
        }
        return null;
    }

    public static ContractCatalog LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"contract folder {folder} not found");
        }
        return new ContractCatalog(Directory.GetFiles(folder, "*.yaml").Order().Select(LoadFile));
    }

    public static ExtractContract LoadFile(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new ContractException(Path.GetFileNameWithoutExtension(path), $"invalid YAML at {ex.Start}: {ex.Message}");
        }
    }

    public static ExtractContract Parse(string yaml) => Deserializer.Deserialize<ExtractContract>(yaml)
        ?? throw new ContractException("?", "empty contract");

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private static void Validate(ExtractContract c)
    {
        if (!Identifier().IsMatch(c.Extract))
        {
            throw new ContractException(c.Extract, "extract name must be lower snake case");
        }
        if (string.IsNullOrWhiteSpace(c.FilePattern) || !c.FilePattern.Contains("(?<date>", StringComparison.Ordinal))
        {
            throw new ContractException(c.Extract, "file_pattern must capture the business date as (?<date>...)");
        }
        if (c.Delimiter.Length != 1 || c.Quote.Length > 1)
        {
            throw new ContractException(c.Extract, "delimiter and quote must be single characters");
        }
        if (!TextEncodings.IsKnown(c.Encoding))
        {
            throw new ContractException(c.Extract, $"unknown encoding {c.Encoding}");
        }
        if (c.Columns.Count == 0)
        {
            throw new ContractException(c.Extract, "no columns");
        }
        var names = new HashSet<string>();
        foreach (var col in c.Columns)
        {
            if (!Identifier().IsMatch(col.Name) || col.Name.StartsWith('_'))
            {
                throw new ContractException(c.Extract, $"column name '{col.Name}' must be lower snake case");
            }
            if (!names.Add(col.Name))
            {
                throw new ContractException(c.Extract, $"column {col.Name} declared twice");
            }
            if (SqlTypes.Normalise(col.Type) is null)
            {
                throw new ContractException(c.Extract, $"column {col.Name}: unknown type {col.Type}");
            }
            if (col.Pattern is not null)
            {
                _ = new Regex(col.Pattern);
            }
        }
        foreach (var key in c.Keys.Concat(c.References.Select(r => r.Column)))
        {
            if (!names.Contains(key))
            {
                throw new ContractException(c.Extract, $"key or reference column {key} is not a declared column");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex Identifier();
}

public sealed class ContractException(string extract, string message)
    : Exception($"contract {extract}: {message}");
