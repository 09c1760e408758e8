using System.CommandLine;
using System.Globalization;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.Tasks;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra callbacks generate</c>: the period's new-subscriber callback list with the stored scope settings. With a
/// cluster's configuration what it made is journaled (<see cref="CliConfiguration.Journal"/>), as a list made in the portal.
/// </summary>
internal static class CallbacksCommand
{
    public static Command Create()
    {
        var command = new Command("callbacks", "New-subscriber callback lists");
        var period = new Option<string?>("--period") { Description = "Activation month, yyyy-MM (default: the newest loaded month)" };
        var generate = new Command("generate", "Create or top up the period's new-subscriber callback list (campaign, members, tasks)") { period };
        generate.SetAction(async (parse, ct) =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var audit = new AuditLog(db);
            var teams = new TeamSeeder(db);
            using var logs = CliConfiguration.Logs();
            var callbacks = new NewSubscriberCallbacks(db, new TaskGenerator(db, teams), teams, audit, CliConfiguration.Journal(db, logs));
            var month = ModelCommand.ParseMonth(parse.GetValue(period)) ?? callbacks.NewestPeriod()
                ?? throw new InvalidOperationException("the warehouse holds no data yet; load extracts first");
            new QuestionnaireCatalog(db, audit).EnsureSeeded();
            GenerationResult? result = null;
            await new Core.Jobs.JobRuns(db).RunAsync("cli-callbacks-generate", "cli", (_, _) =>
            {
                result = callbacks.Generate(month, "cli", Core.Access.RegionScope.WholeProvince);
                return Task.FromResult($"{result.CampaignKey}: members +{result.AddedMembers}, tasks +{result.AddedTasks}");
            }, ct);
            var r = result!;
            var table = new Table().AddColumns("campaign", "activated", "added members", "added tasks", "members", "treated", "control", "excluded", "tasks");
            table.AddRow(Markup.Escape(r.CampaignKey), $"{r.WindowStart:yyyy-MM-dd} .. {r.WindowEnd:yyyy-MM-dd}", N(r.AddedMembers), N(r.AddedTasks),
                N(r.List.Members), N(r.List.Treated), N(r.List.Control), N(r.List.Excluded), N(r.List.Tasks));
            AnsiConsole.Write(table);
            return 0;
        });
        command.Add(generate);
        return command;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
