using System.Data;
using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Questionnaires;

/// <summary>Why an answer was refused: the question and a code the form translates (required, not_an_option, ...).</summary>
public sealed record AnswerError(string QuestionId, string Code);

/// <summary>Answers that cannot be stored; nothing was written.</summary>
public sealed class QuestionnaireAnswerException(IReadOnlyList<AnswerError> errors)
    : Exception("questionnaire answers refused: " + string.Join(", ", errors.Select(e => $"{e.QuestionId} {e.Code}")))
{
    public IReadOnlyList<AnswerError> Errors { get; } = errors;
}

/// <summary>The answers kept for storing (hidden questions dropped) and the problems found.</summary>
public sealed record AnswerCheck(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Accepted, IReadOnlyList<string> Dropped, IReadOnlyList<AnswerError> Errors);

public sealed record SavedAnswers(int Rows, IReadOnlyList<string> Dropped);

/// <summary>
/// Checks and stores a task's answers to one questionnaire version. <see cref="Save"/> writes in the caller's
/// connection and transaction, so the workbench stores the answers and the outcome together or not at all.
/// </summary>
public static class QuestionnaireAnswers
{
    public static AnswerCheck Check(QuestionnaireDefinition definition, IReadOnlyDictionary<string, IReadOnlyList<string>> answers)
    {
        var errors = new List<AnswerError>();
        var cleaned = answers
            .Where(a => a.Value.Any(v => !string.IsNullOrWhiteSpace(v)))
            .ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToList());
        foreach (var id in cleaned.Keys.Where(k => definition.Find(k) is null))
        {
            errors.Add(new AnswerError(id, "unknown_question"));
        }
        var visible = definition.Visible(cleaned);
        var visibleIds = visible.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        // an answer to a question the branching hides is dropped: it was given on a path the subscriber left
        var dropped = cleaned.Keys.Where(k => definition.Find(k) is not null && !visibleIds.Contains(k)).Order().ToList();
        var accepted = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var q in visible)
        {
            if (!cleaned.TryGetValue(q.Id, out var values))
            {
                if (q.Required)
                {
                    errors.Add(new AnswerError(q.Id, "required"));
                }
                continue;
            }
            var error = CheckValues(q, values);
            if (error is not null)
            {
                errors.Add(new AnswerError(q.Id, error));
                continue;
            }
            accepted[q.Id] = q.Type == Question.Multiple ? values.Distinct().ToList() : values;
        }
        return new AnswerCheck(accepted, dropped, errors);
    }

    private static string? CheckValues(Question q, IReadOnlyList<string> values)
    {
        switch (q.Type)
        {
            case Question.Multiple:
                return values.All(v => q.AllowedValues().Contains(v)) ? null : "not_an_option";
            case Question.Text:
                return values.Count != 1 ? "one_answer" : values[0].Length > Question.MaxTextLength ? "too_long" : null;
            case Question.Scale:
                if (values.Count != 1)
                {
                    return "one_answer";
                }
                return !int.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? "not_a_number"
                    : n < q.Min || n > q.Max ? "out_of_range"
                    : null;
            default:
                return values.Count != 1 ? "one_answer" : q.AllowedValues().Contains(values[0]) ? null : "not_an_option";
        }
    }

    /// <summary>
    /// Replaces the task's answers to this questionnaire with the given ones, in the caller's transaction. The version
    /// must be published; invalid answers throw <see cref="QuestionnaireAnswerException"/> before anything is written.
    /// The version's questions are read from the operational data (a published version never changes); the answers
    /// are written beside the task, in the outcome's transaction.
    /// </summary>
    /// <summary>Whether the task has answers to the questionnaire already (an earlier call of it).</summary>
    public static bool Answered(DuckDBConnection c, IDbTransaction tx, long taskId, string questionnaireId) =>
        c.ExecuteScalar<long>("select count(*) from ops.questionnaire_answer where task_id = $taskId and questionnaire_id = $questionnaireId",
            new { taskId, questionnaireId }, tx) > 0;

    public static SavedAnswers Save(Db db, DuckDBConnection c, IDbTransaction tx, long taskId, string questionnaireId, int version,
        IReadOnlyDictionary<string, IReadOnlyList<string>> answers, string answeredBy)
    {
        string? json;
        using (var ops = db.Ops.Connect())
        {
            json = ops.ExecuteScalar<string?>(db.Ops.Text("""
                select definition_json from ops.questionnaire_version
                where questionnaire_id = $questionnaireId and version = $version and status = 'published'
                """), new { questionnaireId, version });
        }
        if (json is null)
        {
            throw new QuestionnaireAnswerException([new AnswerError("", "unknown_version")]);
        }
        if (c.ExecuteScalar<long>("select count(*) from ops.task where task_id = $taskId", new { taskId }, tx) == 0)
        {
            throw new QuestionnaireAnswerException([new AnswerError("", "unknown_task")]);
        }
        var check = Check(QuestionnaireDefinition.FromJson(json), answers);
        if (check.Errors.Count > 0)
        {
            throw new QuestionnaireAnswerException(check.Errors);
        }
        c.Execute("delete from ops.questionnaire_answer where task_id = $taskId and questionnaire_id = $questionnaireId",
            new { taskId, questionnaireId }, tx);
        var rows = check.Accepted.SelectMany(a => a.Value.Select(v => new
        {
            task_id = taskId, questionnaire_id = questionnaireId, version, question_id = a.Key, answer = v, answered_by = answeredBy,
        })).ToList();
        // a questionnaire holds a handful of answers: one statement per answer value is fine here
        c.Execute("""
            insert into ops.questionnaire_answer (task_id, questionnaire_id, version, question_id, answer, answered_by, answered_at)
            values ($task_id, $questionnaire_id, $version, $question_id, $answer, $answered_by, now())
            """, rows, tx);
        return new SavedAnswers(rows.Count, check.Dropped);
    }

    /// <summary>A task's stored answers to a questionnaire (any version), question id → values.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Load(DuckDBConnection c, long taskId, string questionnaireId, IDbTransaction? tx = null) =>
        c.Query<(string QuestionId, string Answer)>("""
            select question_id, answer from ops.questionnaire_answer
            where task_id = $taskId and questionnaire_id = $questionnaireId
            order by question_id, answer
            """, new { taskId, questionnaireId }, tx)
            .GroupBy(r => r.QuestionId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Answer).ToList());
}
