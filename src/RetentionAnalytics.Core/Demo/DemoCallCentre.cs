using System.Collections.Concurrent;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Offers;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Demo;

/// <summary>A clock the simulation sets: the workbench services read the simulated day through it (one per agent).</summary>
internal sealed class SimulatedClock : TimeProvider
{
    public DateTimeOffset UtcNow { get; set; }

    public override DateTimeOffset GetUtcNow() => UtcNow;
}

public sealed record WorkedMonth(int Calls, int Reached, int Closed);

/// <summary>
/// A month of the retention desk, simulated through the product's own services: every working morning the supervisor
/// distributes what is unassigned (<see cref="SupervisorDesk.Distribute"/>), every agent opens their next tasks and
/// records each call (<see cref="AgentWorkbench.Open"/>, <see cref="AgentWorkbench.Record"/>), with the calling hours,
/// attempts, callbacks and conflict checks of real work; at the month's end the supervisor closes the campaigns.
/// </summary>
public sealed class DemoCallCentre(
    Db db, TaskAccess access, WorkbenchOptions options, IEnumerable<IOutcomeStep> steps, OfferSuggestions offers,
    QuestionnaireCatalog questionnaires, DemoOptions demo, RegionTimeOptions region)
{
    public const string Supervisor = "demo";

    private readonly SimulatedClock _clock = new();
    private readonly TimeZoneInfo _zone = new RegionClock(region, TimeProvider.System).Province;
    private readonly DemoOutcomes _outcomes = new(demo.Seed);
    private readonly Actor _supervisor = new(Supervisor, RegionScope.WholeProvince, IsSupervisor: true);
    private readonly CustomerViewer _offerViewer = new(Supervisor, RegionScope.WholeProvince, SeesUnmaskedIdentifiers: false);
    private readonly ConcurrentDictionary<long, QuestionnaireVersion?> _questionnaires = new();

    /// <summary>
    /// Works the period's campaigns from <paramref name="firstDay"/> to <paramref name="lastDay"/> (local days). The agents
    /// of a day call at the same time, as a desk does, each on their own clock: their tasks are their own, so they never
    /// touch the same row, and every draw depends on the subscriber and the attempt, not on who was faster.
    /// </summary>
    public WorkedMonth Work(DateOnly period, IReadOnlyCollection<long> campaignIds, IReadOnlyDictionary<string, MemberFuture> futures,
        DateOnly firstDay, DateOnly lastDay, CancellationToken ct)
    {
        // the workbench's queries name their columns in snake_case, as the portal maps them
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        var desk = new SupervisorDesk(db, access, options, new RegionClock(region, _clock));
        var lastCalled = new ConcurrentDictionary<long, DateOnly>();
        var counts = new int[2];
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            ct.ThrowIfCancellationRequested();
            At(_clock, day.ToDateTime(new TimeOnly(8, 30)));
            var tasks = Tasks(desk, campaignIds);
            // on the list's first day and every Monday the supervisor hands out what found no agent (capacity freed since)
            if (day == firstDay || day.DayOfWeek == DayOfWeek.Monday)
            {
                var unassigned = tasks.Where(t => t.AssignedTo is null && t.Status == "open").Select(t => t.CampaignId).Distinct().ToList();
                if (unassigned.Sum(campaign => desk.Distribute(_supervisor, campaign).Distributed) > 0)
                {
                    tasks = Tasks(desk, campaignIds);
                }
            }
            var endOfCalls = day.ToDateTime(options.CallingUntil.AddHours(-1));
            // each agent works their own queue: callbacks due today first, then the queue's order (the supervisor's
            // priority, the score, the due date); a task not reached today waits for tomorrow
            var queues = tasks.Where(t => t.AssignedTo is not null).GroupBy(t => t.AssignedTo!)
                .Select(queue => (Agent: queue.Key, Due: queue
                    .Where(t => t.Attempts < options.MaxAttempts)
                    .Where(t => t.Status == "assigned" && lastCalled.GetValueOrDefault(t.TaskId) < day
                                || t.Status == "callback" && t.CallbackAt <= endOfCalls)
                    .OrderByDescending(t => t.Status == "callback")
                    .ThenBy(t => t.Priority ?? 6).ThenByDescending(t => t.PriorityScore).ThenBy(t => t.DueDate).ThenBy(t => t.TaskId)
                    .Take(demo.CallsPerAgentDay)
                    .ToList()))
                .Where(q => q.Due.Count > 0)
                .ToList();
            Parallel.ForEach(queues, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = ct },
                queue => AgentDay(queue.Agent, queue.Due, day, period, futures, lastCalled, counts));
        }
        At(_clock, lastDay.ToDateTime(new TimeOnly(18, 0)));
        var closed = campaignIds.Sum(campaign => desk.Close(_supervisor, campaign));
        return new WorkedMonth(counts[0], counts[1], closed);
    }

    /// <summary>One agent's calls of a day, spread over the calling hours, the last one ending well before they close.</summary>
    private void AgentDay(string agent, IReadOnlyList<SupervisedTask> due, DateOnly day, DateOnly period,
        IReadOnlyDictionary<string, MemberFuture> futures, ConcurrentDictionary<long, DateOnly> lastCalled, int[] counts)
    {
        var clock = new SimulatedClock();
        var workbench = new AgentWorkbench(db, access, options, new RegionClock(region, clock), steps);
        var actor = new Actor(agent, RegionScope.WholeProvince);
        var spacing = Math.Max(2, (int)((options.CallingUntil - options.CallingFrom).TotalMinutes - 60) / Math.Max(1, demo.CallsPerAgentDay));
        for (var i = 0; i < due.Count; i++)
        {
            var task = due[i];
            var future = futures.GetValueOrDefault(task.SubscriberId) ?? new MemberFuture(task.SubscriberId, false, false);
            var (minute, duration) = _outcomes.Timing(task.SubscriberId, period, task.Attempts);
            var slot = day.ToDateTime(options.CallingFrom.AddMinutes(10 + i * spacing + minute % Math.Max(1, spacing / 2)));
            // a callback is made at the hour the customer asked for
            var start = task.Status == "callback" && task.CallbackAt > slot ? task.CallbackAt.Value : slot;
            At(clock, start);
            var opened = workbench.Open(actor, task.TaskId);
            var call = _outcomes.Call(future, period, task.Attempts + 1, isCallback: task.Status == "callback");
            At(clock, start.AddMinutes(duration));
            workbench.Record(actor, Outcome(task, opened.Task.Version, call, day, period, future));
            lastCalled[task.TaskId] = day;
            Interlocked.Increment(ref counts[0]);
            if (call.Outcome == "reached")
            {
                Interlocked.Increment(ref counts[1]);
            }
        }
    }

    private IReadOnlyList<SupervisedTask> Tasks(SupervisorDesk desk, IReadOnlyCollection<long> campaignIds) =>
        desk.Tasks(_supervisor, new TaskFilter(Limit: int.MaxValue)).Where(t => campaignIds.Contains(t.CampaignId)).ToList();

    private OutcomeInput Outcome(SupervisedTask task, int version, DemoCall call, DateOnly day, DateOnly period, MemberFuture future)
    {
        // the last attempt cannot be followed by a callback: the customer's "will consider" is then the answer
        if (call.WantsCallback && task.Attempts + 1 < options.MaxAttempts)
        {
            var (days, hour) = _outcomes.Callback(task.SubscriberId, period, task.Attempts + 1);
            var callback = day.AddDays(days).ToDateTime(new TimeOnly(hour, 0));
            return new OutcomeInput(task.TaskId, call.Outcome, call.Result, call.ChurnReasonId, CallbackAt: callback, Version: version);
        }
        var offer = call.Result == "accepted_offer"
            ? offers.For(task.SubscriberId, task.ScenarioIds.Split(','), _offerViewer)?.FirstOrDefault()?.OfferId
            : null;
        // the campaign's questionnaire is filled in on the call that ends the task
        QuestionnaireSubmission? answers = null;
        if (call.Outcome == "reached" && Questionnaire(task.CampaignId) is { } q)
        {
            answers = new QuestionnaireSubmission(q.QuestionnaireId, q.Version, _outcomes.Answers(q.Definition, future, period, call.ChurnReasonId));
        }
        return new OutcomeInput(task.TaskId, call.Outcome, call.Result, call.ChurnReasonId, offer, Version: version, Questionnaire: answers);
    }

    private QuestionnaireVersion? Questionnaire(long campaignId) => _questionnaires.GetOrAdd(campaignId, questionnaires.ForCampaign);

    /// <summary>Sets a simulated clock to a wall-clock time of the province's zone.</summary>
    private void At(SimulatedClock clock, DateTime local) =>
        clock.UtcNow = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone));
}
