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
        // a submission without answers is checked too: its required questions are missing
        if (outcome.Input.Questionnaire is not { } q || outcome.Outcome != "reached")
        {
            return;
        }
        QuestionnaireAnswers.Save(db, connection, transaction, outcome.TaskId, q.QuestionnaireId, q.Version, q.Answers, outcome.Username);
    }
}
