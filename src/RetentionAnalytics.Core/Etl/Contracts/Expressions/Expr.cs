namespace RetentionAnalytics.Core.Etl.Contracts.Expressions;

/// <summary>
/// A parsed contract expression: one scalar SQL expression over the columns of one file. The tree is the only
/// thing compiled to SQL; the text a contract holds is never pasted into a statement.
/// </summary>
public abstract record Expr;

public sealed record LiteralExpr(LiteralKind Kind, string? Value) : Expr;

public enum LiteralKind { Text, Number, Boolean, Null, Date, Timestamp }

/// <summary>A column of the file: a header name as delivered, or a target column of the contract.</summary>
public sealed record IdentifierExpr(string Name) : Expr;

public sealed record UnaryExpr(string Operator, Expr Operand) : Expr;

public sealed record BinaryExpr(string Operator, Expr Left, Expr Right) : Expr;

public sealed record IsNullExpr(Expr Operand, bool Negated) : Expr;

public sealed record InExpr(Expr Operand, IReadOnlyList<Expr> Items, bool Negated) : Expr;

public sealed record BetweenExpr(Expr Operand, Expr Low, Expr High, bool Negated) : Expr;

public sealed record LikeExpr(Expr Operand, Expr Pattern, bool Negated, bool CaseInsensitive) : Expr;

public sealed record CaseExpr(Expr? Operand, IReadOnlyList<(Expr When, Expr Then)> Branches, Expr? Else) : Expr;

/// <summary>cast(x as type), try_cast(x as type) or x::type; the type is one a contract column may declare.</summary>
public sealed record CastExpr(Expr Operand, string Type, bool Try) : Expr;

public sealed record CallExpr(string Function, IReadOnlyList<Expr> Arguments) : Expr;

public sealed class ExpressionException(string message, int position) : Exception(message)
{
    /// <summary>0-based character position in the expression text.</summary>
    public int Position { get; } = position;
}
