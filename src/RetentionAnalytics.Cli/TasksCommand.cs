using System.CommandLine;
using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Tasks;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra tasks generate</c>: call lists from the period's alerts. With a cluster's configuration what it made is journaled
/// (<see cref="CliConfiguration.Journal"/>), as a list made in the portal.
/// </summary>
internal static class TasksCommand
{
    public static Command Create()
    {
        var command = new Command("tasks", "Call lists (campaigns and tasks) from scenario alerts");
        command.Add(Generate());
        return command;
    }

    private static Command Generate()
    {
        var period = new Option<string?>("--period") { Description = "Alert month, yyyy-MM (default: the newest loaded month)" };
        var combined = new Option<bool>("--combined") { Description = "One retention campaign for all call scenarios instead of one per scenario" };
        var holdout = new Option<double>("--holdout") { Description = "Control group share of a new campaign, 0..1", DefaultValueFactory = _ => 0.10 };
        var window = new Option<int>("--contact-window-days") { Description = "Skip subscribers called or sent an SMS within this many days", DefaultValueFactory = _ => 14 };
        var command = new Command("generate", "Create or top up the period's campaigns, members and tasks, and route the tasks to agents")
        {
            period, combined, holdout, window,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(holdout) is < 0 or > 1)
            {
                AnsiConsole.MarkupLine("[red]--holdout must be between 0 and 1[/]");
                return CliOptions.ExitFailed;
            }
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            // call lists are built from the alerts of subscriber snapshots: without the core there is nothing to call
            new Core.Definitions.DataRequirements(db, Core.Etl.Contracts.ContractCatalog.Load(db.Options.Definitions)).Require("call lists", null);
            DateOnly month;
            if (ModelCommand.ParseMonth(parse.GetValue(period)) is { } asked)
            {
                month = asked;
            }
            else
            {
                using var c = db.Connect();
                month = c.ExecuteScalar<DateOnly?>("select as_of_month from dw.as_of")
                    ?? throw new InvalidOperationException("the warehouse holds no data yet; load extracts first");
            }
            var options = new CallListOptions
            {
                Combined = parse.GetValue(combined),
                Holdout = parse.GetValue(holdout),
                ContactWindowDays = parse.GetValue(window),
                CreatedBy = "cli",
            };
            var generator = new TaskGenerator(db, new TeamSeeder(db));
            using var logs = CliConfiguration.Logs();
            var journal = CliConfiguration.Journal(db, logs);
            IReadOnlyList<CampaignSummary> campaigns = [];
            await new Core.Jobs.JobRuns(db).RunAsync("cli-tasks-generate", "cli", (_, _) =>
            {
                AnsiConsole.Status().Start($"Generating call lists for {month:yyyy-MM}...", _ => campaigns = generator.Generate(month, options, journal));
                return Task.FromResult($"{campaigns.Count} campaign(s), {campaigns.Sum(x => x.Tasks)} tasks");
            }, ct);
            Report(month, campaigns);
            return 0;
        });
        return command;
    }

    private static void Report(DateOnly month, IReadOnlyList<CampaignSummary> campaigns)
    {
        if (campaigns.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]No alerts of call scenarios for {month:yyyy-MM}.[/]");
            return;
        }
        var table = new Table().AddColumns("campaign", "holdout", "alerted", "eligible", "treated", "control",
            "blacklist", "opt-out", "recent contact", "open complaint", "churned", "assigned", "unassigned", "linked");
        foreach (var x in campaigns)
        {
            table.AddRow(Markup.Escape(x.CampaignKey), x.HoldoutPct.ToString("P0", CultureInfo.InvariantCulture), N(x.Members), N(x.Eligible),
                N(x.Treated), N(x.Control), N(x.ExcludedBlacklist), N(x.ExcludedOptOut), N(x.ExcludedRecentContact),
                N(x.ExcludedOpenComplaint), N(x.ExcludedChurned), N(x.Assigned), N(x.Unassigned), N(x.Linked));
        }
        AnsiConsole.Write(table);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
