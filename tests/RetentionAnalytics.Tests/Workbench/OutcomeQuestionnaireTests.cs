using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Tests.Support;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>The campaign questionnaire's answers are written with the outcome, in its transaction: all or nothing.</summary>
public class OutcomeQuestionnaireTests
{
    private static readonly Actor Hz1 = Agent("agent.hz1");
    private readonly Func<OpsOptions?> _ops;

    public OutcomeQuestionnaireTests() : this(() => null)
    {
    }

    /// <param name="ops">Where the questionnaires live (the answers stay with the outcomes, beside the tasks).</param>
    protected OutcomeQuestionnaireTests(Func<OpsOptions?> ops) => _ops = ops;

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> A(params (string Q, string V)[] answers) =>
        answers.ToDictionary(a => a.Q, a => (IReadOnlyList<string>)[a.V]);

    private (WorkbenchWorld World, long Task) ScenarioTaskWithTheRetentionScript()
    {
        var w = new WorkbenchWorld(ops: _ops(), stepsOf: db => [new QuestionnaireOutcomeStep(db)]);
        new QuestionnaireCatalog(w.W.Db, new AuditLog(w.W.Db)).EnsureSeeded();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        return (w, task);
    }

    [SkippableFact]
    public void A_scenario_call_list_uses_the_retention_script_and_its_answers_are_saved_with_the_outcome()
    {
        var (w, task) = ScenarioTaskWithTheRetentionScript();
        using var _ = w;
        var campaign = w.W.Scalar<long>("select campaign_id from ops.task where task_id = $task", new { task });
        var script = new QuestionnaireCatalog(w.W.Db, new AuditLog(w.W.Db)).ForCampaign(campaign)!;
        Assert.Equal("retention", script.QuestionnaireId);

        w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained",
            Questionnaire: new QuestionnaireSubmission("retention", script.Version,
                A(("considering_leaving", "yes"), ("main_reason", "price"), ("satisfaction", "4")))));

        Assert.Equal("done", w.State(task).Status);
        Assert.Equal(3L, w.W.Scalar<long>("select count(*) from ops.questionnaire_answer where task_id = $task", new { task }));
    }

    [SkippableFact]
    public void Invalid_answers_roll_back_the_whole_outcome()
    {
        var (w, task) = ScenarioTaskWithTheRetentionScript();
        using var _ = w;
        var before = w.State(task);

        // satisfaction is required and "9" is outside the 1..5 scale
        var ex = Assert.Throws<QuestionnaireAnswerException>(() => w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained",
            Questionnaire: new QuestionnaireSubmission("retention", 1, A(("considering_leaving", "no"), ("satisfaction", "9"))))));

        Assert.Contains(ex.Errors, e => e.QuestionId == "satisfaction");
        Assert.Equal(before, w.State(task));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.questionnaire_answer"));
    }

    [SkippableFact]
    public void A_script_submitted_without_any_answer_is_refused_for_its_required_questions()
    {
        var (w, task) = ScenarioTaskWithTheRetentionScript();
        using var _ = w;
        var before = w.State(task);

        // the task page submits the script of a reached call even when the agent answered nothing
        var ex = Assert.Throws<QuestionnaireAnswerException>(() => w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained",
            Questionnaire: new QuestionnaireSubmission("retention", 1, A()))));

        Assert.Contains(ex.Errors, e => e.QuestionId == "considering_leaving");
        Assert.Contains(ex.Errors, e => e.QuestionId == "satisfaction");
        Assert.Equal(before, w.State(task));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.contact"));
    }

    [SkippableFact]
    public void A_later_call_without_answers_keeps_what_the_first_call_answered()
    {
        var (w, task) = ScenarioTaskWithTheRetentionScript();
        using var _ = w;
        w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "will_consider", CallbackAt: new DateTime(2026, 11, 6, 11, 30, 0),
            Questionnaire: new QuestionnaireSubmission("retention", 1, A(("considering_leaving", "yes"), ("main_reason", "price"), ("satisfaction", "4")))));

        w.Clock.Utc = new DateTime(2026, 11, 6, 11, 30, 0);
        w.Agents.Open(Hz1, task);
        w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained", Questionnaire: new QuestionnaireSubmission("retention", 1, A())));

        Assert.Equal("done", w.State(task).Status);
        Assert.Equal(3L, w.W.Scalar<long>("select count(*) from ops.questionnaire_answer where task_id = $task", new { task }));
    }
}

/// <summary>The same with the questionnaires in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OutcomeQuestionnaireTestsOnPostgres(PostgresServer postgres) : OutcomeQuestionnaireTests(postgres.NewOps);
