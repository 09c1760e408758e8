using RetentionAnalytics.Core.Demo;
using RetentionAnalytics.Core.Questionnaires;

namespace RetentionAnalytics.Tests.Demo;

public sealed class DemoOutcomesTests
{
    private static readonly DateOnly June = new(2026, 6, 1);

    private static List<DemoCall> Calls(DemoOutcomes outcomes, bool gone, bool leaves) =>
        Enumerable.Range(0, 4000).Select(i => outcomes.Call(new MemberFuture($"S{i:D8}", gone, leaves), June, 1, isCallback: false)).ToList();

    [Fact]
    public void The_same_seed_draws_the_same_calls_and_another_seed_others()
    {
        Assert.Equal(Calls(new DemoOutcomes(42), false, false), Calls(new DemoOutcomes(42), false, false));
        Assert.NotEqual(Calls(new DemoOutcomes(42), false, false), Calls(new DemoOutcomes(7), false, false));
    }

    [Fact]
    public void Stayers_are_reached_and_kept_more_often_than_leavers_and_only_the_gone_are_already_churned()
    {
        var outcomes = new DemoOutcomes(42);
        var stayers = Calls(outcomes, gone: false, leaves: false);
        var leavers = Calls(outcomes, gone: false, leaves: true);
        var gone = Calls(outcomes, gone: true, leaves: true);
        static double Share(List<DemoCall> calls, Func<DemoCall, bool> what) => calls.Count(what) / (double)calls.Count;
        static bool Kept(DemoCall c) => c.Result is "retained" or "accepted_offer";

        Assert.InRange(Share(stayers, c => c.Outcome == "reached"), 0.55, 0.65);
        Assert.InRange(Share(leavers, c => c.Outcome == "reached"), 0.40, 0.50);
        Assert.True(Share(stayers, Kept) > 2 * Share(leavers, Kept));
        Assert.DoesNotContain(stayers.Concat(leavers), c => c.Result == "already_churned");
        Assert.Contains(gone, c => c.Result == "already_churned");
        Assert.All(stayers.Concat(leavers).Concat(gone).Where(c => c.Result is "refused" or "already_churned"), c => Assert.NotNull(c.ChurnReasonId));
        Assert.All(stayers.Where(c => c.Outcome != "reached"), c => Assert.Null(c.Result));
        Assert.All(stayers.Where(c => c.WantsCallback), c => Assert.Equal("will_consider", c.Result));
    }

    /// <summary>A satisfaction survey like the sample's new-subscriber questionnaire: scale, yes/no, a branch, free text.</summary>
    private static readonly QuestionnaireDefinition Survey = new()
    {
        Questions =
        [
            new Question { Id = "satisfaction", Type = Question.Scale, Required = true, Min = 1, Max = 5 },
            new Question { Id = "had_problems", Type = Question.YesNo, Required = true },
            new Question
            {
                Id = "problems", Type = Question.Multiple, Required = true, ShowIf = new ShowIf { Question = "had_problems", Answer = "yes" },
                Options = [new QuestionOption { Value = "coverage" }, new QuestionOption { Value = "billing" }, new QuestionOption { Value = "handset" }],
            },
            new Question { Id = "problem_details", Type = Question.Text, ShowIf = new ShowIf { Question = "had_problems", Answer = "yes" } },
            new Question
            {
                Id = "main_reason", Type = Question.Single, Required = true,
                Options = [new QuestionOption { Value = "price" }, new QuestionOption { Value = "competitor" }],
            },
        ],
    };

    [Fact]
    public void Questionnaire_answers_pass_the_questionnaire_check_and_leavers_are_less_satisfied()
    {
        var outcomes = new DemoOutcomes(42);
        var stayers = Enumerable.Range(0, 500).Select(i => outcomes.Answers(Survey, new MemberFuture($"S{i:D8}", false, false), June, null)).ToList();
        var leavers = Enumerable.Range(0, 500).Select(i => outcomes.Answers(Survey, new MemberFuture($"S{i:D8}", false, true), June, "competitor")).ToList();
        static double Average(List<IReadOnlyDictionary<string, IReadOnlyList<string>>> answers, Func<IReadOnlyDictionary<string, IReadOnlyList<string>>, double> value) =>
            answers.Average(value);

        Assert.All(stayers.Concat(leavers), a => Assert.Empty(QuestionnaireAnswers.Check(Survey, a).Errors));
        Assert.True(Average(stayers, a => double.Parse(a["satisfaction"][0])) > Average(leavers, a => double.Parse(a["satisfaction"][0])) + 1);
        Assert.True(Average(leavers, a => a["had_problems"][0] == "yes" ? 1 : 0) > Average(stayers, a => a["had_problems"][0] == "yes" ? 1 : 0) + 0.3);
        Assert.All(leavers, a => Assert.Equal(["competitor"], a["main_reason"]));
        Assert.All(stayers.Where(a => a["had_problems"][0] == "no"), a => Assert.False(a.ContainsKey("problems")));
        Assert.All(stayers.Where(a => a["had_problems"][0] == "yes"), a => Assert.NotEmpty(a["problems"]));
    }
}
