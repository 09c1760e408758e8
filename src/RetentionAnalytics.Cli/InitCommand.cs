using System.CommandLine;
using Dapper;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "Create the warehouse file (or bring it up to date) and apply pending DDL");
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
            return 0;
        });
        return command;
    }
}
