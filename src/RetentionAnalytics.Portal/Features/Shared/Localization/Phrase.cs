using System.Globalization;
using System.Text.RegularExpressions;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>A piece of a <see cref="Phrase"/>: worded in the reader's language, or quoted verbatim (a file name, an engine's message).</summary>
public sealed record PhrasePiece(string Text, bool Verbatim);

/// <summary>
/// A sentence in the reader's language that may quote stored text verbatim: a page marks the quoted pieces
/// <c>translate="no"</c> (<see cref="PhraseText"/>), an export writes the sentence as one text.
/// </summary>
public sealed partial class Phrase
{
    public static readonly Phrase Empty = new([]);

    private Phrase(IReadOnlyList<PhrasePiece> pieces) => Pieces = pieces;

    public IReadOnlyList<PhrasePiece> Pieces { get; }

    /// <summary>Stored text quoted as it is.</summary>
    public static Phrase Verbatim(string? text) => string.IsNullOrEmpty(text) ? Empty : new([new PhrasePiece(text, true)]);

    /// <summary>Text in the reader's language.</summary>
    public static Phrase Worded(string? text) => string.IsNullOrEmpty(text) ? Empty : new([new PhrasePiece(text, false)]);

    /// <summary>
    /// A resource's text with its arguments: a <see cref="Phrase"/> keeps its pieces, a number is written in the reader's
    /// culture (with the placeholder's format, as <c>{0:N0}</c>), anything else is worded as it is.
    /// </summary>
    public static Phrase Format(string format, params object?[] args)
    {
        var pieces = new List<PhrasePiece>();
        var at = 0;
        foreach (Match m in Placeholder().Matches(format))
        {
            Add(pieces, format[at..m.Index], false);
            var index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var arg = index < args.Length ? args[index] : null;
            if (arg is Phrase phrase)
            {
                pieces.AddRange(phrase.Pieces);
            }
            else if (arg is IFormattable formattable)
            {
                Add(pieces, formattable.ToString(m.Groups[2].Success ? m.Groups[2].Value : null, CultureInfo.CurrentCulture), false);
            }
            else
            {
                Add(pieces, arg?.ToString(), false);
            }
            at = m.Index + m.Length;
        }
        Add(pieces, format[at..], false);
        return new Phrase(pieces);
    }

    /// <summary>Phrases one after the other with a worded separator between them.</summary>
    public static Phrase Join(string separator, IEnumerable<Phrase> phrases)
    {
        var pieces = new List<PhrasePiece>();
        foreach (var phrase in phrases.Where(p => p.Pieces.Count > 0))
        {
            if (pieces.Count > 0)
            {
                Add(pieces, separator, false);
            }
            pieces.AddRange(phrase.Pieces);
        }
        return new Phrase(pieces);
    }

    /// <summary>The sentence as one text (an export's cell).</summary>
    public override string ToString() => string.Concat(Pieces.Select(p => p.Text));

    private static void Add(List<PhrasePiece> pieces, string? text, bool verbatim)
    {
        if (!string.IsNullOrEmpty(text))
        {
            pieces.Add(new PhrasePiece(text, verbatim));
        }
    }

    [GeneratedRegex(@"\{(\d+)(?::([^}]*))?\}")]
    private static partial Regex Placeholder();
}
