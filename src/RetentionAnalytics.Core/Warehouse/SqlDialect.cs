using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// The one mechanical difference between the ops SQL as written for DuckDB and as PostgreSQL (Npgsql) reads it:
/// named parameters are <c>$name</c> in DuckDB and <c>@name</c> in Npgsql. String literals, quoted identifiers,
/// comments, dollar-quoted bodies and positional parameters (<c>$1</c>) are left alone. The few DuckDB functions the shared files use are
/// defined on PostgreSQL by its first migration (sql/ddl-postgres), so most files run on both as written; a file
/// that needs more has a <c>.postgres.sql</c> sibling.
/// </summary>
public static partial class SqlDialect
{
    [GeneratedRegex(@"\G\$([A-Za-z_][A-Za-z0-9_]*)?\$")]
    private static partial Regex DollarQuote();

    private static readonly ConcurrentDictionary<string, string> Translated = new(StringComparer.Ordinal);

    public static string ToPostgres(string sql) => Translated.GetOrAdd(sql, Translate);

    private static string Translate(string sql)
    {
        var result = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var ch = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (ch is '\'' or '"')
            {
                var end = sql.IndexOf(ch, i + 1);
                // a doubled quote inside a literal is part of it
                while (end >= 0 && end + 1 < sql.Length && sql[end + 1] == ch)
                {
                    end = sql.IndexOf(ch, end + 2);
                }
                end = end < 0 ? sql.Length - 1 : end;
                result.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (ch == '-' && next == '-')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length - 1 : end;
                result.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (ch == '/' && next == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length - 1 : end + 1;
                result.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (ch == '$' && DollarQuote().Match(sql, i) is { Success: true } open && open.Index == i)
            {
                // a dollar-quoted body ($$ ... $$, $fn$ ... $fn$) is copied as it is
                var close = sql.IndexOf(open.Value, i + open.Length, StringComparison.Ordinal);
                var end = close < 0 ? sql.Length - 1 : close + open.Length - 1;
                result.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (ch == '$' && (char.IsLetter(next) || next == '_'))
            {
                result.Append('@');
            }
            else
            {
                result.Append(ch);
            }
        }
        return result.ToString();
    }
}
