using System.Globalization;
using System.Text;

namespace RetentionAnalytics.Core.Etl.Contracts.Expressions;

/// <summary>
/// Writes DuckDB SQL from a parsed expression. Every name is resolved by the caller (a column of the file or of the
/// contract, else an error); functions come from the allow-list; literals are re-escaped. Every operation is
/// parenthesised, so the tree's precedence is the SQL's.
/// </summary>
public static class ExpressionCompiler
{
    /// <summary>Functions a contract expression may call, with their DuckDB name and how many arguments they take.</summary>
    public static readonly IReadOnlyDictionary<string, (string Sql, int Min, int Max)> Functions =
        new Dictionary<string, (string, int, int)>(StringComparer.OrdinalIgnoreCase)
        {
            // text
            ["lower"] = ("lower", 1, 1), ["upper"] = ("upper", 1, 1), ["trim"] = ("trim", 1, 2), ["ltrim"] = ("ltrim", 1, 2),
            ["rtrim"] = ("rtrim", 1, 2), ["length"] = ("length", 1, 1), ["substr"] = ("substr", 2, 3), ["substring"] = ("substring", 2, 3),
            ["left"] = ("left", 2, 2), ["right"] = ("right", 2, 2), ["replace"] = ("replace", 3, 3), ["concat"] = ("concat", 1, 16),
            ["concat_ws"] = ("concat_ws", 2, 16), ["lpad"] = ("lpad", 3, 3), ["rpad"] = ("rpad", 3, 3), ["split_part"] = ("split_part", 3, 3),
            ["starts_with"] = ("starts_with", 2, 2), ["ends_with"] = ("ends_with", 2, 2), ["contains"] = ("contains", 2, 2),
            ["strpos"] = ("strpos", 2, 2), ["reverse"] = ("reverse", 1, 1), ["md5"] = ("md5", 1, 1), ["sha256"] = ("sha256", 1, 1),
            ["regexp_matches"] = ("regexp_matches", 2, 3), ["regexp_full_match"] = ("regexp_full_match", 2, 3),
            ["regexp_replace"] = ("regexp_replace", 3, 4), ["regexp_extract"] = ("regexp_extract", 2, 3),
            // nulls and choices
            ["coalesce"] = ("coalesce", 1, 16), ["nullif"] = ("nullif", 2, 2), ["ifnull"] = ("ifnull", 2, 2), ["if"] = ("if", 3, 3),
            // numbers
            ["abs"] = ("abs", 1, 1), ["round"] = ("round", 1, 2), ["floor"] = ("floor", 1, 1), ["ceil"] = ("ceil", 1, 1),
            ["ceiling"] = ("ceil", 1, 1), ["greatest"] = ("greatest", 1, 16), ["least"] = ("least", 1, 16), ["sign"] = ("sign", 1, 1),
            // dates and times (no clock: a reload must give the same rows)
            ["strptime"] = ("strptime", 2, 2), ["try_strptime"] = ("try_strptime", 2, 2), ["strftime"] = ("strftime", 2, 2),
            ["make_date"] = ("make_date", 3, 3), ["date_trunc"] = ("date_trunc", 2, 2), ["date_diff"] = ("date_diff", 3, 3),
            ["date_part"] = ("date_part", 2, 2), ["year"] = ("year", 1, 1), ["month"] = ("month", 1, 1), ["day"] = ("day", 1, 1),
            ["last_day"] = ("last_day", 1, 1), ["to_days"] = ("to_days", 1, 1), ["to_months"] = ("to_months", 1, 1),
            ["to_years"] = ("to_years", 1, 1),
            // the delivery's business date (from the file name, a column or the contract)
            ["business_date"] = ("", 0, 0),
        };

    /// <summary>The identifiers an expression reads, in order of appearance, each once.</summary>
    public static IReadOnlyList<string> Identifiers(Expr expr)
    {
        var names = new List<string>();
        Walk(expr, e =>
        {
            if (e is IdentifierExpr id && !names.Contains(id.Name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(id.Name);
            }
        });
        return names;
    }

    /// <summary>Problems the allow-list finds (unknown functions, wrong argument counts), as messages; empty when fine.</summary>
    public static IReadOnlyList<string> CheckFunctions(Expr expr)
    {
        var problems = new List<string>();
        Walk(expr, e =>
        {
            if (e is not CallExpr call)
            {
                return;
            }
            if (!Functions.TryGetValue(call.Function, out var f))
            {
                problems.Add($"function {call.Function} is not allowed (allowed: {string.Join(", ", Functions.Keys.Order(StringComparer.Ordinal))})");
            }
            else if (call.Arguments.Count < f.Min || call.Arguments.Count > f.Max)
            {
                problems.Add(f.Min == f.Max
                    ? $"{call.Function} takes {f.Min} argument(s), not {call.Arguments.Count}"
                    : $"{call.Function} takes {f.Min} to {f.Max} arguments, not {call.Arguments.Count}");
            }
        });
        return problems;
    }

    /// <param name="resolve">SQL for a column name; the caller throws for names the file and the contract do not have.</param>
    /// <param name="businessDate">SQL for business_date().</param>
    public static string ToSql(Expr expr, Func<string, string> resolve, string businessDate)
    {
        var sb = new StringBuilder();
        Write(expr, sb, resolve, businessDate);
        return sb.ToString();
    }

    private static void Write(Expr expr, StringBuilder sb, Func<string, string> resolve, string businessDate)
    {
        void W(Expr e) => Write(e, sb, resolve, businessDate);

        switch (expr)
        {
            case LiteralExpr lit:
                sb.Append(lit.Kind switch
                {
                    LiteralKind.Null => "null",
                    LiteralKind.Boolean => lit.Value,
                    LiteralKind.Number => decimal.TryParse(lit.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || double.TryParse(lit.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                        ? lit.Value : throw new ExpressionException($"'{lit.Value}' is not a number", 0),
                    LiteralKind.Date => $"DATE {Quote(lit.Value!)}",
                    LiteralKind.Timestamp => $"TIMESTAMP {Quote(lit.Value!)}",
                    _ => Quote(lit.Value!),
                });
                break;
            case IdentifierExpr id:
                sb.Append(resolve(id.Name));
                break;
            case UnaryExpr u:
                sb.Append('(').Append(u.Operator == "not" ? "not " : "-");
                W(u.Operand);
                sb.Append(')');
                break;
            case BinaryExpr b:
                sb.Append('(');
                W(b.Left);
                sb.Append(' ').Append(b.Operator).Append(' ');
                W(b.Right);
                sb.Append(')');
                break;
            case IsNullExpr n:
                sb.Append('(');
                W(n.Operand);
                sb.Append(n.Negated ? " is not null)" : " is null)");
                break;
            case InExpr i:
                sb.Append('(');
                W(i.Operand);
                sb.Append(i.Negated ? " not in (" : " in (");
                for (var k = 0; k < i.Items.Count; k++)
                {
                    if (k > 0)
                    {
                        sb.Append(", ");
                    }
                    W(i.Items[k]);
                }
                sb.Append("))");
                break;
            case BetweenExpr bt:
                sb.Append('(');
                W(bt.Operand);
                sb.Append(bt.Negated ? " not between " : " between ");
                W(bt.Low);
                sb.Append(" and ");
                W(bt.High);
                sb.Append(')');
                break;
            case LikeExpr l:
                sb.Append('(');
                W(l.Operand);
                sb.Append(l.Negated ? " not" : "").Append(l.CaseInsensitive ? " ilike " : " like ");
                W(l.Pattern);
                sb.Append(')');
                break;
            case CaseExpr c:
                sb.Append("(case");
                if (c.Operand is not null)
                {
                    sb.Append(' ');
                    W(c.Operand);
                }
                foreach (var (when, then) in c.Branches)
                {
                    sb.Append(" when ");
                    W(when);
                    sb.Append(" then ");
                    W(then);
                }
                if (c.Else is not null)
                {
                    sb.Append(" else ");
                    W(c.Else);
                }
                sb.Append(" end)");
                break;
            case CastExpr cast:
                sb.Append(cast.Try ? "try_cast(" : "cast(");
                W(cast.Operand);
                sb.Append(" as ").Append(SqlTypes.Normalise(cast.Type)).Append(')');
                break;
            case CallExpr call:
                var f = Functions.TryGetValue(call.Function, out var known)
                    ? known
                    : throw new ExpressionException($"function {call.Function} is not allowed", 0);
                if (call.Function.Equals("business_date", StringComparison.OrdinalIgnoreCase))
                {
                    sb.Append(businessDate);
                    break;
                }
                sb.Append(f.Sql).Append('(');
                for (var k = 0; k < call.Arguments.Count; k++)
                {
                    if (k > 0)
                    {
                        sb.Append(", ");
                    }
                    W(call.Arguments[k]);
                }
                sb.Append(')');
                break;
            default:
                throw new ExpressionException($"unsupported expression {expr.GetType().Name}", 0);
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void Walk(Expr expr, Action<Expr> visit)
    {
        visit(expr);
        IEnumerable<Expr?> children = expr switch
        {
            UnaryExpr u => [u.Operand],
            BinaryExpr b => [b.Left, b.Right],
            IsNullExpr n => [n.Operand],
            InExpr i => i.Items.Prepend(i.Operand),
            BetweenExpr bt => [bt.Operand, bt.Low, bt.High],
            LikeExpr l => [l.Operand, l.Pattern],
            CaseExpr c => c.Branches.SelectMany(br => new[] { br.When, br.Then }).Prepend(c.Operand).Append(c.Else),
            CastExpr c => [c.Operand],
            CallExpr c => c.Arguments,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                Walk(child, visit);
            }
        }
    }
}
