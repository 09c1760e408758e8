using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace RetentionAnalytics.Core.Questionnaires;

/// <summary>A text in the portal's three languages; German and Chinese fall back to English when empty.</summary>
public sealed class LocalText
{
    public string En { get; set; } = "";
    public string? De { get; set; }
    public string? Zh { get; set; }

    /// <summary>The text for a language code (en, de, zh).</summary>
    public string In(string language) => language switch
    {
        "de" when !string.IsNullOrWhiteSpace(De) => De,
        "zh" when !string.IsNullOrWhiteSpace(Zh) => Zh,
        _ => En,
    };

    public LocalText Copy() => new() { En = En, De = De, Zh = Zh };
}

public sealed class QuestionOption
{
    public string Value { get; set; } = "";
    public LocalText Text { get; set; } = new();
}

/// <summary>Show a question only when the answer to an earlier question is (or, multiple choice, contains) a value.</summary>
public sealed class ShowIf
{
    public string Question { get; set; } = "";
    public string Answer { get; set; } = "";
}

public sealed class Question
{
    public const string Single = "single";
    public const string Multiple = "multiple";
    public const string Scale = "scale";
    public const string Text = "text";
    public const string YesNo = "yes_no";
    public static readonly string[] Types = [Single, Multiple, Scale, Text, YesNo];
    public const int MaxTextLength = 1000;

    public string Id { get; set; } = "";
    public string Type { get; set; } = Single;
    public bool Required { get; set; }
    public LocalText Label { get; set; } = new();
    public List<QuestionOption>? Options { get; set; }
    public int? Min { get; set; }
    public int? Max { get; set; }
    public ShowIf? ShowIf { get; set; }

    /// <summary>The values an answer may take: option values, yes/no, or every whole number of the scale.</summary>
    public IReadOnlyList<string> AllowedValues() => Type switch
    {
        Single or Multiple => (Options ?? []).Select(o => o.Value).ToList(),
        YesNo => ["yes", "no"],
        Scale when Min is { } min && Max is { } max && max >= min =>
            Enumerable.Range(min, max - min + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList(),
        _ => [],
    };
}

/// <summary>The questions of one questionnaire version, stored as JSON in ops.questionnaire_version.</summary>
public sealed partial class QuestionnaireDefinition
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public List<Question> Questions { get; set; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static QuestionnaireDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<QuestionnaireDefinition>(json, Json) ?? new QuestionnaireDefinition();

    public QuestionnaireDefinition Copy() => FromJson(ToJson());

    public Question? Find(string id) => Questions.FirstOrDefault(q => q.Id == id);

    /// <summary>
    /// The questions shown for these answers, in order: a question with a condition is shown when the question it
    /// depends on is shown and its answer is (or contains) the value.
    /// </summary>
    public IReadOnlyList<Question> Visible(IReadOnlyDictionary<string, IReadOnlyList<string>> answers)
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Question>();
        foreach (var q in Questions)
        {
            // "is" for single answers (an invalid double answer opens no branch), "contains" for multiple choice
            if (q.ShowIf is { } cond
                && !(shown.Contains(cond.Question) && answers.TryGetValue(cond.Question, out var given) && given.Contains(cond.Answer)
                     && (given.Count == 1 || Find(cond.Question)?.Type == Question.Multiple)))
            {
                continue;
            }
            shown.Add(q.Id);
            result.Add(q);
        }
        return result;
    }

    /// <summary>The problems that keep this definition from being published; empty when it is valid.</summary>
    public IReadOnlyList<QuestionnaireException> Problems()
    {
        var problems = new List<QuestionnaireException>();
        void Add(QuestionnaireRefusal code, string message, params object[] args) => problems.Add(new QuestionnaireException(code, message, args));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (Questions.Count == 0)
        {
            Add(QuestionnaireRefusal.NoQuestions, "a questionnaire needs at least one question");
        }
        foreach (var q in Questions)
        {
            var at = string.IsNullOrEmpty(q.Id) ? $"question {Questions.IndexOf(q) + 1}" : q.Id;
            // the question as the texts name it: its id, or its place when it has none yet
            var named = string.IsNullOrEmpty(q.Id) ? $"#{Questions.IndexOf(q) + 1}" : q.Id;
            if (!IdPattern().IsMatch(q.Id ?? ""))
            {
                Add(QuestionnaireRefusal.QuestionId, $"{at}: the id needs 1..40 lower-case letters, digits or _", named);
            }
            else if (!seen.Add(q.Id!))
            {
                Add(QuestionnaireRefusal.IdTwice, $"{at}: the id is used twice", named);
            }
            if (!Question.Types.Contains(q.Type))
            {
                Add(QuestionnaireRefusal.UnknownType, $"{at}: unknown type \"{q.Type}\"", named, q.Type);
            }
            if (string.IsNullOrWhiteSpace(q.Label.En))
            {
                Add(QuestionnaireRefusal.NoEnglishText, $"{at}: the English text is missing", named);
            }
            if (q.Type is Question.Single or Question.Multiple)
            {
                var options = q.Options ?? [];
                if (options.Count < 2)
                {
                    Add(QuestionnaireRefusal.TooFewOptions, $"{at}: a choice needs at least two options", named);
                }
                if (options.Any(o => !IdPattern().IsMatch(o.Value ?? "")) || options.Select(o => o.Value).Distinct().Count() != options.Count)
                {
                    Add(QuestionnaireRefusal.OptionValues, $"{at}: option values must be distinct ids (lower-case letters, digits, _)", named);
                }
                if (options.Any(o => string.IsNullOrWhiteSpace(o.Text.En)))
                {
                    Add(QuestionnaireRefusal.OptionEnglishText, $"{at}: every option needs an English text", named);
                }
            }
            if (q.Type == Question.Scale && (q.Min is not { } min || q.Max is not { } max || min >= max || max - min > 100))
            {
                Add(QuestionnaireRefusal.Scale, $"{at}: a scale needs min < max (at most 100 steps)", named, 100);
            }
            if (q.ShowIf is { } cond)
            {
                var earlier = Questions.TakeWhile(x => x != q).FirstOrDefault(x => x.Id == cond.Question);
                if (earlier is null)
                {
                    Add(QuestionnaireRefusal.ShowIfNotEarlier, $"{at}: shown only if \"{cond.Question}\", which is not an earlier question", named, cond.Question);
                }
                else if (!earlier.AllowedValues().Contains(cond.Answer))
                {
                    Add(QuestionnaireRefusal.ShowIfAnswer, $"{at}: \"{cond.Answer}\" is not a possible answer to {earlier.Id}", named, cond.Answer, earlier.Id!);
                }
            }
        }
        return problems;
    }

    [GeneratedRegex("^[a-z0-9_]{1,40}$")]
    private static partial Regex IdPattern();
}
