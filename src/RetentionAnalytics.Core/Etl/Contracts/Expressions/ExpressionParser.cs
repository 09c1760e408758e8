using System.Globalization;
using System.Text;

namespace RetentionAnalytics.Core.Etl.Contracts.Expressions;

/// <summary>
/// Parses the small SQL subset a contract expression may use: literals, the file's columns, arithmetic, comparison,
/// boolean logic, IS NULL, IN, BETWEEN, LIKE, CASE, casts and calls of allow-listed functions. Anything else —
/// a statement, a sub-query, a qualified name, a comment, a parameter — is a parse error, so what reaches DuckDB is
/// only ever SQL the compiler writes from the tree.
/// </summary>
public sealed class ExpressionParser
{
    public const int MaxLength = 2000;
    private const int MaxDepth = 40;

    private static readonly HashSet<string> Forbidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "select", "from", "where", "with", "union", "insert", "update", "delete", "drop", "create", "alter", "copy",
        "attach", "detach", "pragma", "install", "load", "call", "exists", "any", "all", "some", "over", "filter",
        "set", "execute", "prepare", "export", "import", "checkpoint", "vacuum", "into", "values", "table", "lambda",
    };

    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;

    private ExpressionParser(List<Token> tokens) => _tokens = tokens;

    public static Expr Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ExpressionException("the expression is empty", 0);
        }
        if (text.Length > MaxLength)
        {
            throw new ExpressionException($"the expression is longer than {MaxLength} characters", MaxLength);
        }
        var parser = new ExpressionParser(Tokenize(text));
        var expr = parser.ParseExpression();
        var rest = parser.Peek();
        if (rest.Kind != TokenKind.End)
        {
            throw new ExpressionException($"unexpected {rest.Describe()} after the end of the expression", rest.Position);
        }
        return expr;
    }

    private Expr ParseExpression()
    {
        if (++_depth > MaxDepth)
        {
            throw new ExpressionException($"the expression nests deeper than {MaxDepth} levels", Peek().Position);
        }
        try
        {
            return ParseOr();
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (AcceptKeyword("or"))
        {
            left = new BinaryExpr("or", left, ParseAnd());
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (AcceptKeyword("and"))
        {
            left = new BinaryExpr("and", left, ParseNot());
        }
        return left;
    }

    private Expr ParseNot() => AcceptKeyword("not") ? new UnaryExpr("not", ParseNot()) : ParsePredicate();

    private Expr ParsePredicate()
    {
        var left = ParseAdditive();
        var t = Peek();
        if (t.Kind == TokenKind.Operator && t.Text is "=" or "<>" or "!=" or "<" or "<=" or ">" or ">=")
        {
            _next++;
            return new BinaryExpr(t.Text == "!=" ? "<>" : t.Text, left, ParseAdditive());
        }
        if (AcceptKeyword("is"))
        {
            var negated = AcceptKeyword("not");
            ExpectKeyword("null");
            return new IsNullExpr(left, negated);
        }
        var not = IsKeyword(Peek(), "not") && (IsKeyword(Peek(1), "in") || IsKeyword(Peek(1), "between") || IsKeyword(Peek(1), "like") || IsKeyword(Peek(1), "ilike"));
        if (not)
        {
            _next++;
        }
        if (AcceptKeyword("in"))
        {
            Expect("(");
            var items = new List<Expr> { ParseExpression() };
            while (Accept(","))
            {
                items.Add(ParseExpression());
            }
            Expect(")");
            return new InExpr(left, items, not);
        }
        if (AcceptKeyword("between"))
        {
            var low = ParseAdditive();
            ExpectKeyword("and");
            return new BetweenExpr(left, low, ParseAdditive(), not);
        }
        if (AcceptKeyword("like"))
        {
            return new LikeExpr(left, ParseAdditive(), not, CaseInsensitive: false);
        }
        if (AcceptKeyword("ilike"))
        {
            return new LikeExpr(left, ParseAdditive(), not, CaseInsensitive: true);
        }
        return left;
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek() is { Kind: TokenKind.Operator, Text: "+" or "-" or "||" } t)
        {
            _next++;
            left = new BinaryExpr(t.Text, left, ParseMultiplicative());
        }
        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek() is { Kind: TokenKind.Operator, Text: "*" or "/" or "%" } t)
        {
            _next++;
            left = new BinaryExpr(t.Text, left, ParseUnary());
        }
        return left;
    }

    private Expr ParseUnary()
    {
        if (Peek() is { Kind: TokenKind.Operator, Text: "-" or "+" } t)
        {
            _next++;
            var operand = ParseUnary();
            return t.Text == "-" ? new UnaryExpr("-", operand) : operand;
        }
        return ParsePostfix();
    }

    private Expr ParsePostfix()
    {
        var expr = ParsePrimary();
        while (Accept("::"))
        {
            expr = new CastExpr(expr, ParseType(), Try: false);
        }
        return expr;
    }

    private Expr ParsePrimary()
    {
        var t = Peek();
        switch (t.Kind)
        {
            case TokenKind.Number:
                _next++;
                return new LiteralExpr(LiteralKind.Number, t.Text);
            case TokenKind.Text:
                _next++;
                return new LiteralExpr(LiteralKind.Text, t.Text);
            case TokenKind.QuotedName:
                _next++;
                return new IdentifierExpr(t.Text);
            case TokenKind.Operator when t.Text == "(":
                _next++;
                var inner = ParseExpression();
                Expect(")");
                return inner;
            case TokenKind.Word:
                return ParseWord(t);
            default:
                throw new ExpressionException($"unexpected {t.Describe()}", t.Position);
        }
    }

    private Expr ParseWord(Token t)
    {
        var word = t.Text.ToLowerInvariant();
        if (Forbidden.Contains(word))
        {
            throw new ExpressionException($"'{t.Text}' is not allowed: a contract expression is one value per row, not a statement or a sub-query", t.Position);
        }
        _next++;
        switch (word)
        {
            case "null":
                return new LiteralExpr(LiteralKind.Null, null);
            case "true" or "false":
                return new LiteralExpr(LiteralKind.Boolean, word);
            case "case":
                return ParseCase();
            case "cast" or "try_cast":
                Expect("(");
                var operand = ParseExpression();
                ExpectKeyword("as");
                var type = ParseType();
                Expect(")");
                return new CastExpr(operand, type, Try: word == "try_cast");
            case "date" or "timestamp" when Peek().Kind == TokenKind.Text:
                var literal = Peek();
                _next++;
                var valid = word == "date"
                    ? DateOnly.TryParseExact(literal.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    : DateTime.TryParseExact(literal.Text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
                if (!valid)
                {
                    throw new ExpressionException($"{word} '{literal.Text}' is not a valid {word} (yyyy-MM-dd{(word == "date" ? "" : " HH:mm:ss")})", literal.Position);
                }
                return new LiteralExpr(word == "date" ? LiteralKind.Date : LiteralKind.Timestamp, literal.Text);
        }
        if (Accept("("))
        {
            var args = new List<Expr>();
            if (!Accept(")"))
            {
                if (Peek() is { Kind: TokenKind.Operator, Text: "*" } star)
                {
                    throw new ExpressionException("'*' is not allowed: aggregates over rows are not per-row values", star.Position);
                }
                args.Add(ParseExpression());
                while (Accept(","))
                {
                    args.Add(ParseExpression());
                }
                Expect(")");
            }
            return new CallExpr(word, args);
        }
        if (Peek() is { Kind: TokenKind.Operator, Text: "." } dot)
        {
            throw new ExpressionException("qualified names (a.b) are not allowed: an expression reads only the file's own columns", dot.Position);
        }
        return new IdentifierExpr(t.Text);
    }

    private Expr ParseCase()
    {
        Expr? operand = IsKeyword(Peek(), "when") ? null : ParseExpression();
        var branches = new List<(Expr, Expr)>();
        while (AcceptKeyword("when"))
        {
            var when = ParseExpression();
            ExpectKeyword("then");
            branches.Add((when, ParseExpression()));
        }
        if (branches.Count == 0)
        {
            throw new ExpressionException("case needs at least one 'when … then …'", Peek().Position);
        }
        var otherwise = AcceptKeyword("else") ? ParseExpression() : null;
        ExpectKeyword("end");
        return new CaseExpr(operand, branches, otherwise);
    }

    private string ParseType()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Word)
        {
            throw new ExpressionException($"expected a type name, found {t.Describe()}", t.Position);
        }
        _next++;
        var text = new StringBuilder(t.Text);
        if (Accept("("))
        {
            text.Append('(').Append(ExpectNumber());
            if (Accept(","))
            {
                text.Append(',').Append(ExpectNumber());
            }
            Expect(")");
            text.Append(')');
        }
        return SqlTypes.Normalise(text.ToString())
            ?? throw new ExpressionException($"unknown type {text} (use varchar, integer, bigint, double, decimal(p,s), date, timestamp or boolean)", t.Position);
    }

    private string ExpectNumber()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Number)
        {
            throw new ExpressionException($"expected a number, found {t.Describe()}", t.Position);
        }
        _next++;
        return t.Text;
    }

    private Token Peek(int ahead = 0) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    private static bool IsKeyword(Token t, string keyword) =>
        t.Kind == TokenKind.Word && string.Equals(t.Text, keyword, StringComparison.OrdinalIgnoreCase);

    private bool AcceptKeyword(string keyword)
    {
        if (!IsKeyword(Peek(), keyword))
        {
            return false;
        }
        _next++;
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AcceptKeyword(keyword))
        {
            throw new ExpressionException($"expected '{keyword}', found {Peek().Describe()}", Peek().Position);
        }
    }

    private bool Accept(string op)
    {
        if (Peek() is not { Kind: TokenKind.Operator } t || t.Text != op)
        {
            return false;
        }
        _next++;
        return true;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw new ExpressionException($"expected '{op}', found {Peek().Describe()}", Peek().Position);
        }
    }

    private enum TokenKind { Word, QuotedName, Text, Number, Operator, End }

    private sealed record Token(TokenKind Kind, string Text, int Position)
    {
        public string Describe() => Kind switch
        {
            TokenKind.End => "the end of the expression",
            TokenKind.Text => $"'{Text}'",
            TokenKind.QuotedName => $"\"{Text}\"",
            _ => $"'{Text}'",
        };
    }

    private static readonly string[] Operators = ["::", "||", "<=", ">=", "<>", "!=", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "."];

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var ch = s[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
                continue;
            }
            var start = i;
            if (ch == '\'' || ch == '"')
            {
                var text = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length)
                    {
                        throw new ExpressionException(ch == '\'' ? "a text literal is not closed with '" : "a quoted column name is not closed with \"", start);
                    }
                    if (s[i] == ch)
                    {
                        if (i + 1 < s.Length && s[i + 1] == ch)
                        {
                            text.Append(ch);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (s[i] == '\0')
                    {
                        throw new ExpressionException("a NUL character is not allowed", i);
                    }
                    text.Append(s[i++]);
                }
                if (ch == '"' && text.Length == 0)
                {
                    throw new ExpressionException("an empty quoted column name", start);
                }
                tokens.Add(new Token(ch == '\'' ? TokenKind.Text : TokenKind.QuotedName, text.ToString(), start));
                continue;
            }
            if (char.IsAsciiDigit(ch) || (ch == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }
                }
                if (i < s.Length && (s[i] == 'e' || s[i] == 'E') && i + 1 < s.Length
                    && (char.IsAsciiDigit(s[i + 1]) || (s[i + 1] is '+' or '-' && i + 2 < s.Length && char.IsAsciiDigit(s[i + 2]))))
                {
                    i += 2;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }
                }
                if (i < s.Length && (char.IsAsciiLetter(s[i]) || s[i] == '_'))
                {
                    throw new ExpressionException($"'{s[start..(i + 1)]}' is neither a number nor a name", start);
                }
                tokens.Add(new Token(TokenKind.Number, s[start..i], start));
                continue;
            }
            if (char.IsAsciiLetter(ch) || ch == '_')
            {
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Word, s[start..i], start));
                continue;
            }
            if (s.AsSpan(i).StartsWith("--") || s.AsSpan(i).StartsWith("/*"))
            {
                throw new ExpressionException("comments are not allowed in an expression", i);
            }
            var op = Operators.FirstOrDefault(o => s.AsSpan(i).StartsWith(o, StringComparison.Ordinal));
            if (op is null)
            {
                throw new ExpressionException(ch == ';'
                    ? "';' is not allowed: an expression is one value, not statements"
                    : $"the character '{ch}' is not allowed in an expression", i);
            }
            tokens.Add(new Token(TokenKind.Operator, op, i));
            i += op.Length;
        }
        tokens.Add(new Token(TokenKind.End, "", s.Length));
        return tokens;
    }
}
