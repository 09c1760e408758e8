using System.CommandLine;
using Dapper;
using RetentionAnalytics.Core.Accounts;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Tasks;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init",
            "Create the warehouse file (or bring it up to date) and apply pending DDL; in demo mode (Auth:DemoMode, as the portal) seed the demo accounts");
        command.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            using var c = db.Connect();
            var applied = c.ExecuteScalar<long>("select count(*) from meta.schema_migration");
            AnsiConsole.MarkupLineInterpolated($"Warehouse [green]{db.Options.DatabasePath}[/] ready: {applied} DDL file(s) applied.");

            // the same demo accounts the portal seeds at its first start, so that `ra report --as leader` works at once
            var accounts = new AccountStore(db, new AuditLog(db), CliConfiguration.PasswordPolicy);
            if (CliConfiguration.DemoMode)
            {
                var seeded = DemoAccounts.SeedIfEmpty(new TeamSeeder(db), accounts, CliConfiguration.DemoPassword);
                if (seeded > 0)
                {
                    AnsiConsole.MarkupLineInterpolated($"Demo mode: {seeded} demo accounts created (docs/portal.md).");
                }
            }
            if (accounts.Count() == 0)
            {
                AnsiConsole.MarkupLine("No accounts yet: create one with [green]ra users add NAME --role administrator --province[/].");
            }
            return 0;
        });
        return command;
    }
}
