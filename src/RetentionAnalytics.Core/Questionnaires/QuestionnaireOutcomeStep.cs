using System.Data;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Questionnaires;

/// <summary>
/// Writes the questionnaire answers of a reached call inside the outcome's transaction: invalid answers throw
/// <see cref="QuestionnaireAnswerException"/> and the whole outcome (task, contact, answers) is rolled back.
/// </summary>
public sealed class QuestionnaireOutcomeStep(Db db) : IOutcomeStep
{
    public void Write(DuckDBConnection connection, IDbTransaction transaction, RecordedOutcome outcome)
    {
        if (outcome.Input.Questionnaire is not { } q || outcome.Outcome != "reached")
        {
            return;
        }
        // a submission without answers keeps what an earlier call of the task answered; without any, its required
        // questions are missing
        if (q.Answers.Count == 0 && QuestionnaireAnswers.Answered(connection, transaction, outcome.TaskId, q.QuestionnaireId))
        {
            return;
        }
        QuestionnaireAnswers.Save(db, connection, transaction, outcome.TaskId, q.QuestionnaireId, q.Version, q.Answers, outcome.Username);
    }
}
