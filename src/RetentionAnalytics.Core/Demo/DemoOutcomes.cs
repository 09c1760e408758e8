using RetentionAnalytics.Core.Generator;
using RetentionAnalytics.Core.Questionnaires;

namespace RetentionAnalytics.Core.Demo;

/// <summary>What the warehouse says became of a called subscriber in the two months after the campaign's month.</summary>
public sealed record MemberFuture(string SubscriberId, bool GoneNextMonth, bool LeavesWithinTwoMonths);

/// <summary>One simulated call: whether it got through, the result, a reason the customer gave, a callback wish.</summary>
public sealed record DemoCall(string Outcome, string? Result, string? ChurnReasonId, bool WantsCallback);

/// <summary>
/// The simulated agents' calls, drawn from a seeded stream per subscriber, campaign month and attempt, so the same
/// sample gives the same history. The answers follow what the warehouse shows next: a subscriber who stays is reached
/// more often and mostly retained or takes an offer; one who leaves within two months mostly refuses, names a reason,
/// or is already gone when called. Rates are those of an outbound retention desk (about half the calls get through).
/// </summary>
public sealed class DemoOutcomes(int seed)
{
    private static readonly (string Reason, double Weight)[] Reasons =
    [
        ("price", 30), ("competitor", 25), ("coverage", 10), ("service", 8), ("billing", 7),
        ("relocation", 7), ("handset", 5), ("second_line", 5), ("other", 3),
    ];

    public DemoCall Call(MemberFuture future, DateOnly period, int attempt, bool isCallback)
    {
        var rng = Rng.For(seed, Key(future.SubscriberId), period.Year * 100 + period.Month, attempt);
        var reachedChance = future.GoneNextMonth ? 0.35 : future.LeavesWithinTwoMonths ? 0.45 : 0.60;
        if (isCallback)
        {
            // the customer asked to be called back: mostly at the phone this time
            reachedChance = 0.85;
        }
        if (!rng.Chance(reachedChance))
        {
            var missed = rng.NextDouble();
            var outcome = future.GoneNextMonth
                ? missed < 0.55 ? "switched_off" : missed < 0.85 ? "no_answer" : missed < 0.95 ? "busy" : "wrong_number"
                : missed < 0.50 ? "no_answer" : missed < 0.72 ? "busy" : missed < 0.96 ? "switched_off" : "wrong_number";
            return new DemoCall(outcome, null, null, false);
        }
        var r = rng.NextDouble();
        string result;
        if (future.GoneNextMonth && !isCallback && r < 0.35)
        {
            result = "already_churned";
        }
        else if (future.LeavesWithinTwoMonths)
        {
            result = r < 0.60 ? "refused" : r < 0.75 ? "will_consider" : r < 0.88 ? "accepted_offer" : "retained";
        }
        else
        {
            result = r < 0.40 ? "retained" : r < 0.65 ? "accepted_offer" : r < 0.85 ? "will_consider" : "refused";
        }
        // a second "will consider" on the callback is the answer: the task is done with it
        var wantsCallback = result == "will_consider" && !isCallback;
        var reason = result is "refused" or "already_churned" || (result == "will_consider" && rng.Chance(0.4))
            ? PickReason(ref rng)
            : null;
        return new DemoCall("reached", result, reason, wantsCallback);
    }

    /// <summary>The minutes past the hour an agent's call starts and how long it lasts, drawn like the outcome.</summary>
    public (int StartMinute, int DurationMinutes) Timing(string subscriberId, DateOnly period, int attempt)
    {
        var rng = Rng.For(seed, Key(subscriberId), period.Year * 100 + period.Month, 1000 + attempt);
        return (rng.Next(20), 2 + rng.Next(10));
    }

    /// <summary>Days (2-4) until a callback the customer asked for, and its hour (10-16).</summary>
    public (int Days, int Hour) Callback(string subscriberId, DateOnly period, int attempt)
    {
        var rng = Rng.For(seed, Key(subscriberId), period.Year * 100 + period.Month, 2000 + attempt);
        return (2 + rng.Next(3), 10 + rng.Next(7));
    }

    /// <summary>
    /// The campaign questionnaire answered during the call that ends the task: every question shown for the answers
    /// so far, the customer's mood following what they did next (a leaver is less satisfied, has had problems, is
    /// thinking of leaving, for the reason they named); free-text questions are left empty unless required.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers(
        QuestionnaireDefinition definition, MemberFuture future, DateOnly period, string? churnReasonId)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Questions.Count; i++)
        {
            var question = definition.Questions[i];
            if (!definition.Visible(answers).Contains(question))
            {
                continue;
            }
            var rng = Rng.For(seed, Key(future.SubscriberId), period.Year * 100 + period.Month, 3000 + i);
            var allowed = question.AllowedValues();
            IReadOnlyList<string>? answer = question.Type switch
            {
                Question.Scale when allowed.Count > 0 => [allowed[Scale(ref rng, allowed.Count, future.LeavesWithinTwoMonths)]],
                // a question about leaving or problems is answered yes by leavers; the others (was it explained, is
                // an offer of interest) mostly yes by those who stay
                Question.YesNo => [rng.Chance(IsAboutTrouble(question.Id)
                    ? future.LeavesWithinTwoMonths ? 0.65 : 0.2
                    : future.LeavesWithinTwoMonths ? 0.4 : 0.75) ? "yes" : "no"],
                Question.Single when allowed.Count > 0 =>
                    [churnReasonId is not null && allowed.Contains(churnReasonId) ? churnReasonId : allowed[rng.Next(allowed.Count)]],
                Question.Multiple when allowed.Count > 0 => Some(ref rng, allowed),
                Question.Text when question.Required => ["-"],
                _ => null,
            };
            if (answer is not null)
            {
                answers[question.Id] = answer;
            }
        }
        return answers;
    }

    private static bool IsAboutTrouble(string questionId) =>
        questionId.Contains("problem", StringComparison.Ordinal) || questionId.Contains("leav", StringComparison.Ordinal)
        || questionId.Contains("complain", StringComparison.Ordinal);

    /// <summary>One option, sometimes two.</summary>
    private static List<string> Some(ref Rng rng, IReadOnlyList<string> options)
    {
        var chosen = new List<string> { options[rng.Next(options.Count)] };
        if (options.Count > 1 && rng.Chance(0.3))
        {
            chosen.Add(options.Except(chosen).ElementAt(rng.Next(options.Count - 1)));
        }
        return chosen;
    }

    /// <summary>A point of the scale: the upper part for those who stay, the lower part for those who leave.</summary>
    private static int Scale(ref Rng rng, int points, bool leaves)
    {
        var half = Math.Max(1, points / 2);
        return leaves ? rng.Next(half + 1) : points - 1 - rng.Next(half + 1);
    }

    private static string PickReason(ref Rng rng)
    {
        var x = rng.NextDouble() * Reasons.Sum(r => r.Weight);
        foreach (var (reason, weight) in Reasons)
        {
            if ((x -= weight) < 0)
            {
                return reason;
            }
        }
        return Reasons[^1].Reason;
    }

    /// <summary>A stable number for an id (FNV-1a): the same on every machine and run, unlike string.GetHashCode.</summary>
    private static int Key(string id)
    {
        var hash = 2166136261u;
        foreach (var ch in id)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return (int)hash;
    }
}
