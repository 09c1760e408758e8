using Dapper;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.NewSubscribers;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Questionnaires;

/// <summary>Questionnaires in the warehouse file (here) or in PostgreSQL (the derived class); answers beside the tasks.</summary>
public class QuestionnaireTests
{
    private readonly Func<OpsOptions?> _ops;

    public QuestionnaireTests() : this(() => null)
    {
    }

    protected QuestionnaireTests(Func<OpsOptions?> ops) => _ops = ops;

    private CampaignWorld World() => new(_ops());

    private static Dictionary<string, IReadOnlyList<string>> A(params (string Q, string[] V)[] answers) =>
        answers.ToDictionary(a => a.Q, a => (IReadOnlyList<string>)a.V);

    private static SavedAnswers Save(CampaignWorld w, long task, string questionnaire, int version, Dictionary<string, IReadOnlyList<string>> answers)
    {
        using var c = w.W.Db.Connect();
        using var tx = c.BeginTransaction();
        var saved = QuestionnaireAnswers.Save(w.W.Db, c, tx, task, questionnaire, version, answers, "agent.hz1");
        tx.Commit();
        return saved;
    }

    [SkippableFact]
    public void The_seed_questionnaires_are_published_as_version_1_once_and_never_overwritten()
    {
        using var w = World();

        var draft = w.Questionnaires.Draft("retention", "admin");
        Assert.Equal(0, w.Questionnaires.EnsureSeeded());

        Assert.Equal(["broadband", "new_subscriber", "retention"], w.Questionnaires.All().Select(q => q.QuestionnaireId).ToList());
        Assert.All(w.Questionnaires.All(), q => Assert.Equal(1, q.PublishedVersion));
        Assert.Equal(2, draft.Version);
        Assert.Equal(2L, w.W.OpsScalar<long>("select count(*) from ops.questionnaire_version where questionnaire_id = 'retention'"));
    }

    [SkippableFact]
    public void Publishing_a_new_version_keeps_answers_recorded_against_the_old_one()
    {
        using var w = World();
        var task = w.AnyTask();
        Save(w, task, "retention", 1, A(("considering_leaving", ["yes"]), ("main_reason", ["price"]), ("satisfaction", ["2"])));

        var draft = w.Questionnaires.Draft("retention", "admin");
        var definition = draft.Definition;
        definition.Questions.RemoveAll(q => q.Id == "satisfaction");
        definition.Questions.Add(new Question { Id = "nps", Type = Question.Scale, Min = 0, Max = 10, Required = true, Label = new LocalText { En = "Recommend us?" } });
        w.Questionnaires.SaveDraft("retention", draft.Version, definition, "admin");
        w.Questionnaires.Publish("retention", draft.Version, "admin");

        Assert.Equal(2, w.Questionnaires.Current("retention")!.Version);
        // version 1 is unchanged and the stored answers still point at it
        Assert.Contains(w.Questionnaires.Version("retention", 1)!.Definition.Questions, q => q.Id == "satisfaction");
        Assert.Equal([1], w.W.Query<int>("select distinct version from ops.questionnaire_answer where task_id = $task", new { task }));
        Assert.Equal(["2"], w.W.Query<string>("select answer from ops.questionnaire_answer where task_id = $task and question_id = 'satisfaction'", new { task }));
        // a published version can no longer be edited
        Assert.Throws<QuestionnaireException>(() => w.Questionnaires.SaveDraft("retention", 1, definition, "admin"));
        // new answers are checked against version 2: satisfaction no longer exists there
        var ex = Assert.Throws<QuestionnaireAnswerException>(() =>
            Save(w, task, "retention", 2, A(("considering_leaving", ["no"]), ("satisfaction", ["3"]), ("nps", ["9"]))));
        Assert.Contains(new AnswerError("satisfaction", "unknown_question"), ex.Errors);
    }

    [SkippableFact]
    public void Required_questions_and_answer_types_are_checked()
    {
        using var w = World();
        var definition = w.Questionnaires.Current("new_subscriber")!.Definition;

        Assert.Equal([new AnswerError("satisfaction", "required"), new AnswerError("had_problems", "required")],
            QuestionnaireAnswers.Check(definition, A()).Errors);
        Assert.Equal([new AnswerError("satisfaction", "out_of_range")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["6"]), ("had_problems", ["no"]))).Errors);
        Assert.Empty(QuestionnaireAnswers.Check(definition, A(("satisfaction", ["5"]), ("had_problems", ["no"]))).Errors);
        Assert.Empty(QuestionnaireAnswers.Check(definition, A(("satisfaction", ["1"]), ("had_problems", ["no"]))).Errors);
        Assert.Equal([new AnswerError("satisfaction", "not_a_number")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["good"]), ("had_problems", ["no"]))).Errors);
        Assert.Equal([new AnswerError("had_problems", "not_an_option")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["3"]), ("had_problems", ["maybe"]))).Errors);
        Assert.Equal([new AnswerError("had_problems", "one_answer")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["3"]), ("had_problems", ["yes", "no"]))).Errors);
        // multiple choice: several options, each must be one of the options
        Assert.Empty(QuestionnaireAnswers.Check(definition, A(("satisfaction", ["3"]), ("had_problems", ["yes"]), ("problems", ["billing", "coverage"]))).Errors);
        Assert.Equal([new AnswerError("problems", "not_an_option")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["3"]), ("had_problems", ["yes"]), ("problems", ["billing", "weather"]))).Errors);
        Assert.Equal([new AnswerError("problem_details", "too_long")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["3"]), ("had_problems", ["yes"]), ("problems", ["billing"]),
                ("problem_details", [new string('x', Question.MaxTextLength + 1)]))).Errors);
    }

    [SkippableFact]
    public void A_question_hidden_by_branching_becomes_required_only_when_shown_and_its_answer_is_dropped_otherwise()
    {
        using var w = World();
        var definition = w.Questionnaires.Current("new_subscriber")!.Definition;

        // shown: had_problems = yes makes the problems question required
        Assert.Equal([new AnswerError("problems", "required")],
            QuestionnaireAnswers.Check(definition, A(("satisfaction", ["3"]), ("had_problems", ["yes"]))).Errors);
        // hidden: an answer to it is dropped, not stored
        var task = w.AnyTask();
        var saved = Save(w, task, "new_subscriber", 1, A(("satisfaction", ["4"]), ("had_problems", ["no"]), ("problems", ["billing"])));
        Assert.Equal(["problems"], saved.Dropped);
        Assert.Equal(["had_problems", "satisfaction"],
            w.W.Query<string>("select question_id from ops.questionnaire_answer where task_id = $task order by 1", new { task }));
        // a branch two levels deep: competitor_name needs main_reason = competitor, which needs considering_leaving = yes
        var retention = w.Questionnaires.Current("retention")!.Definition;
        var check = QuestionnaireAnswers.Check(retention, A(("considering_leaving", ["no"]), ("main_reason", ["competitor"]),
            ("competitor_name", ["X"]), ("satisfaction", ["3"])));
        Assert.Empty(check.Errors);
        Assert.Equal(["competitor_name", "main_reason"], check.Dropped);
    }

    [SkippableFact]
    public void Answers_saved_in_a_transaction_that_rolls_back_are_not_stored()
    {
        using var w = World();
        var task = w.AnyTask();

        using (var c = w.W.Db.Connect())
        using (var tx = c.BeginTransaction())
        {
            c.Execute("update ops.task set status = 'done' where task_id = $task", new { task }, tx);
            QuestionnaireAnswers.Save(w.W.Db, c, tx, task, "new_subscriber", 1, A(("satisfaction", ["4"]), ("had_problems", ["no"])), "agent.hz1");
            Assert.Equal(2, QuestionnaireAnswers.Load(c, task, "new_subscriber", tx).Count);
            tx.Rollback();
        }

        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.questionnaire_answer"));
        Assert.Equal("assigned", w.W.Scalar<string>("select status from ops.task where task_id = $task", new { task }));
    }

    [SkippableFact]
    public void Invalid_answers_write_nothing_and_a_second_save_replaces_the_first()
    {
        using var w = World();
        var task = w.AnyTask();
        Save(w, task, "new_subscriber", 1, A(("satisfaction", ["2"]), ("had_problems", ["yes"]), ("problems", ["billing", "coverage"])));

        Assert.Throws<QuestionnaireAnswerException>(() => Save(w, task, "new_subscriber", 1, A(("satisfaction", ["9"]), ("had_problems", ["no"]))));
        Assert.Equal(4L, w.W.Scalar<long>("select count(*) from ops.questionnaire_answer"));

        Save(w, task, "new_subscriber", 1, A(("satisfaction", ["5"]), ("had_problems", ["no"])));
        Assert.Equal(["had_problems=no", "satisfaction=5"],
            w.W.Query<string>("select question_id || '=' || answer from ops.questionnaire_answer order by 1"));
        // the reporting view carries the task's subscriber and city
        Assert.Equal(2L, w.W.Scalar<long>("select count(*) from mart.questionnaire_answer_fact where subscriber_id = 'T1' and city_code = '571'"));
    }

    [SkippableFact]
    public void A_draft_with_a_broken_branch_or_too_few_options_cannot_be_published()
    {
        using var w = World();
        var draft = w.Questionnaires.Draft("broadband", "admin");
        var definition = draft.Definition;
        definition.Questions.Add(new Question
        {
            Id = "later", Type = Question.Single, Label = new LocalText { En = "Later?" },
            Options = [new QuestionOption { Value = "a", Text = new LocalText { En = "A" } }],
            ShowIf = new ShowIf { Question = "will_renew", Answer = "perhaps" },
        });
        w.Questionnaires.SaveDraft("broadband", draft.Version, definition, "admin");

        var ex = Assert.Throws<QuestionnaireException>(() => w.Questionnaires.Publish("broadband", draft.Version, "admin"));
        Assert.Contains("at least two options", ex.Message);
        Assert.Contains("\"perhaps\" is not a possible answer", ex.Message);
        Assert.Equal(1, w.Questionnaires.Current("broadband")!.Version);
    }
}

/// <summary>The same with the questionnaires in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class QuestionnaireTestsOnPostgres(PostgresServer postgres) : QuestionnaireTests(postgres.NewOps);
