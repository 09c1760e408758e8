using System.Text.RegularExpressions;

namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>The column types a contract may declare, as DuckDB type names.</summary>
public static partial class SqlTypes
{
    public static string? Normalise(string type)
    {
        var t = type.Trim().ToLowerInvariant();
        return t switch
        {
            "varchar" or "string" or "text" => "varchar",
            "integer" or "int" => "integer",
            "bigint" or "long" => "bigint",
            "date" => "date",
            "timestamp" or "datetime" => "timestamp",
            "boolean" or "bool" => "boolean",
            "double" => "double",
            _ when Decimal().Match(t) is { Success: true } m
                   && int.Parse(m.Groups[1].Value) is > 0 and <= 38 && int.Parse(m.Groups[2].Value) <= int.Parse(m.Groups[1].Value)
                => $"decimal({m.Groups[1].Value},{m.Groups[2].Value})",
            _ => null,
        };
    }

    public static bool IsNumeric(string normalised) =>
        normalised is "integer" or "bigint" or "double" || normalised.StartsWith("decimal", StringComparison.Ordinal);

    /// <summary>Whole-number types: no decimals to separate.</summary>
    public static bool IsWhole(string normalised) => normalised is "integer" or "bigint";

    [GeneratedRegex(@"^decimal\((\d+),\s*(\d+)\)$")]
    private static partial Regex Decimal();
}
