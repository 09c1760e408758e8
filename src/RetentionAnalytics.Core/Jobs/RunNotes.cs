using System.Globalization;
using System.Resources;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RetentionAnalytics.Core.Jobs;

/// <summary>
/// One sentence of what a job run did ("1,330 alerts in 19 scenarios for 2026-10"), kept as the name of its text and
/// the values it names, so that the operations page reads it in the reader's language while the run's message, logs and
/// the CLI keep the English. The texts are <c>Jobs/RunNoteText.resx</c> (and its German and Chinese siblings).
/// An argument is a number, a string (an id, a month as yyyy-MM) or <see cref="RunNotes"/> of its own (the reasons of a
/// retraining inside "retraining: {0}").
/// </summary>
public sealed record RunNote(string Key, params object[] Args)
{
    private static readonly ResourceManager Texts = new("RetentionAnalytics.Core.Jobs.RunNoteText", typeof(RunNote).Assembly);

    /// <summary>The sentence in <paramref name="culture"/>'s language and number format; a key without a text shows as the key.</summary>
    public string Text(CultureInfo culture)
    {
        var args = Args.Select(a => a is RunNotes inner ? inner.Text(culture) : a).ToArray();
        // a run recorded by another version (a sentence not known here, or other values): its name and values as they
        // are, never an error
        var unknown = string.Join(" ", args.Select(a => Convert.ToString(a, culture)).Prepend(Key));
        if (Texts.GetString(Key, culture) is not { } template)
        {
            return unknown;
        }
        try
        {
            return string.Format(culture, template, args);
        }
        catch (FormatException)
        {
            return unknown;
        }
    }

    public override string ToString() => Text(CultureInfo.InvariantCulture);

    internal static string Separator(CultureInfo culture) => Texts.GetString("Separator", culture) ?? "; ";
}

/// <summary>The sentences of a run's summary, in order; as JSON in <c>meta.job_run.summary</c>.</summary>
public sealed class RunNotes(IEnumerable<RunNote> notes) : IReadOnlyList<RunNote>
{
    private readonly IReadOnlyList<RunNote> _notes = notes.ToList();

    public RunNotes(params RunNote[] notes) : this((IEnumerable<RunNote>)notes)
    {
    }

    public RunNote this[int index] => _notes[index];

    public int Count => _notes.Count;

    public IEnumerator<RunNote> GetEnumerator() => _notes.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public string Text(CultureInfo culture) => string.Join(RunNote.Separator(culture), _notes.Select(n => n.Text(culture)));

    /// <summary>The English summary: the run's message for logs, the CLI and scripts.</summary>
    public override string ToString() => Text(CultureInfo.InvariantCulture);

    public string ToJson() => ToNode().ToJsonString();

    /// <returns>Null for no summary or one this version cannot read (the page then shows the run's message).</returns>
    public static RunNotes? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json) is JsonArray array ? FromNode(array) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private JsonArray ToNode() => new(_notes.Select(n => (JsonNode)new JsonObject
    {
        ["k"] = n.Key,
        ["a"] = new JsonArray(n.Args.Select(ArgNode).ToArray()),
    }).ToArray());

    private static JsonNode? ArgNode(object arg) => arg switch
    {
        RunNotes inner => inner.ToNode(),
        string s => JsonValue.Create(s),
        int or long or short or byte => JsonValue.Create(Convert.ToInt64(arg, CultureInfo.InvariantCulture)),
        // JSON has no NaN or infinity (a model without an AUC): kept as their text
        double or float or decimal when Convert.ToDouble(arg, CultureInfo.InvariantCulture) is var d && !double.IsFinite(d) =>
            JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(Convert.ToDouble(arg, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Convert.ToString(arg, CultureInfo.InvariantCulture)),
    };

    private static RunNotes FromNode(JsonArray array) => new(array.Select(n =>
        new RunNote((string)n!["k"]!, ((JsonArray)n["a"]!).Select(ArgValue).ToArray())));

    private static object ArgValue(JsonNode? node) => node switch
    {
        JsonArray inner => FromNode(inner),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            v.TryGetValue<long>(out var whole) ? whole : v.GetValue<double>(),
        JsonValue v => v.ToString(),
        _ => "",
    };
}

/// <summary>What a job's work returns when it has a summary to record (<see cref="JobRuns.RunAsync{T}"/> stores it).</summary>
public interface IHasRunNotes
{
    RunNotes Notes { get; }
}
