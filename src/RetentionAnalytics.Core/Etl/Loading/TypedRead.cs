using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>Which fields DuckDB's reader types for a file, with the one date and one timestamp format it parses them by.</summary>
internal sealed record TypedFields(IReadOnlyList<string> Types, IReadOnlySet<int> Positions, string? DateFormat, string? TimestampFormat);

/// <summary>
/// The fast path: DuckDB's CSV reader types the fields itself (types from the contract, never detected) for every
/// column that needs no text-level rule, instead of reading all fields as text and casting them afterwards. Records the
/// reader cannot split (ragged rows, unterminated quotes) are rejected exactly as on the text path, by the same reader.
/// A value that does not parse as its type is a reject the reader records (<c>cast_error</c>); those rows, and the rows
/// that fail a check, are read again as text for their reason and delivered text (<see cref="Loader"/>, typed staging).
/// </summary>
internal static class TypedRead
{
    /// <summary>
    /// The typed read for this file, or null when it must take the text path: a header that does not map, a business
    /// date that is in the rows, a transcoded file, or fields the inspection found NUL bytes, invalid bytes or over-long
    /// lines in. Fields that are read as text elsewhere (an expression reading a header name, a reference, a field two
    /// columns read) stay text, as does every column with a text-level rule (format other than the reader's, map,
    /// default, null tokens, pattern, allowed values, yes/no values, a decimal comma, a thousands separator).
    /// </summary>
    public static TypedFields? Plan(ExtractContract contract, CsvHeader header, FieldChecks checks, bool transcoded, bool dateKnown)
    {
        // a contract that references its own extract is checked against the delivery's date as staged before it, which the
        // typed read, checking inside the transaction that replaces that date, could not see
        if (header.Error is not null || !dateKnown || transcoded || checks.Nul || checks.Length || checks.InvalidBytes
            || contract.References.Any(r => r.Extract == contract.Extract))
        {
            return null;
        }
        var textOnly = CsvHeader.ExpressionInputs(contract).Select(header.PositionOf).OfType<int>().ToHashSet();
        foreach (var reference in contract.References)
        {
            if (header.Positions.TryGetValue(reference.Column, out var p))
            {
                textOnly.Add(p);
            }
        }
        foreach (var shared in header.Positions.GroupBy(kv => kv.Value).Where(g => g.Count() > 1))
        {
            textOnly.Add(shared.Key);
        }

        var types = Enumerable.Repeat("VARCHAR", header.FieldCount).ToArray();
        var typed = new HashSet<int>();
        string? dateFormat = null, timestampFormat = null;
        bool dateChosen = false, timestampChosen = false;
        foreach (var col in contract.Columns.Where(c => c.ReadsSource))
        {
            if (!header.Positions.TryGetValue(col.Name, out var p) || textOnly.Contains(p) || contract.NullTokens.Count > 0
                || ReaderType(col) is not { } type)
            {
                continue;
            }
            // the reader takes one date format and one timestamp format per file: columns of another stay text
            if (type == "DATE" && !Choose(ref dateFormat, ref dateChosen, col.Format))
            {
                continue;
            }
            if (type == "TIMESTAMP" && !Choose(ref timestampFormat, ref timestampChosen, col.Format))
            {
                continue;
            }
            types[p] = type;
            typed.Add(p);
        }
        return new TypedFields(types, typed, dateFormat, timestampFormat);
    }

    private static bool Choose(ref string? chosen, ref bool isChosen, string? format)
    {
        if (!isChosen)
        {
            (chosen, isChosen) = (format, true);
            return true;
        }
        return chosen == format;
    }

    /// <summary>The type the reader gives a column whose text needs nothing but trimming and a cast, or null.</summary>
    private static string? ReaderType(ColumnContract col)
    {
        if (col.Map is { Count: > 0 } || col.Default is not null || col.NullTokens is { Count: > 0 } || col.Pattern is not null
            || col.Allowed is { Count: > 0 })
        {
            return null;
        }
        var type = SqlTypes.Normalise(col.Type)!;
        return type switch
        {
            "date" or "timestamp" => type.ToUpperInvariant(),
            _ when SqlTypes.IsNumeric(type) && col.DecimalSeparator is null or "." && col.ThousandsSeparator is null => type.ToUpperInvariant(),
            _ => null,
        };
    }

    /// <summary>
    /// Reads the file into <c>raw</c> and <c>parse_rejects</c> as the text path does (<see cref="DeliveredFile.ReadRaw"/>), with
    /// the planned fields typed; rows with a value that does not parse as its type are in <c>parse_rejects</c> marked
    /// <c>cast_error</c>. False when the reader refuses the file: nothing is kept, and the file takes the text path.
    /// </summary>
    public static bool Read(DuckDBConnection connection, ExtractContract contract, string readable, CsvHeader header, TypedFields plan, char quote,
        IReadOnlyList<long> blankLines)
    {
        try
        {
            DeliveredFile.ReadRaw(connection, contract, readable, header.FieldCount, quote, blankLines, plan);
            return true;
        }
        catch (FileRefusedException)
        {
            Drop(connection);
            return false;
        }
    }

    public static void Drop(DuckDBConnection connection) =>
        connection.Execute("drop view if exists chk; drop table if exists bad; drop view if exists raw; drop table if exists raw1; " +
                           "drop table if exists raw0; drop table if exists parse_rejects; drop table if exists typed_bad; " +
                           "drop table if exists typed_rejects; drop table if exists check_lines; drop table if exists reread; drop table if exists line_shift; drop table if exists delivered_text;");
}
