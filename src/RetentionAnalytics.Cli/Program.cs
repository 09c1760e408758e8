using System.CommandLine;
using RetentionAnalytics.Cli;
using RetentionAnalytics.Core.Definitions;

// ra: the warehouse's command line for scripting and backfills. Verb names are fixed: scripts rely on them.
var root = new RootCommand("RetentionAnalytics: retention data warehouse command line")
{
    CliOptions.Database,
    CliOptions.Definitions,
};
root.Add(InitCommand.Create());
root.Add(GenerateCommand.Create());
root.Add(LoadCommand.Create());
root.Add(RebuildCommand.Create());
root.Add(CompactCommand.Create());
root.Add(StatusCommand.Create());
root.Add(BenchmarkCommand.Create());
root.Add(ModelCommand.Create());
root.Add(TasksCommand.Create());
root.Add(DetectCommand.Create());
root.Add(ReportCommand.Create());
root.Add(CallbacksCommand.Create());
root.Add(CheckCommand.Create());
root.Add(ReleaseCommand.Create());
root.Add(UsersCommand.Create());
root.Add(DemoCommand.Create());
root.Add(PublishCommand.Create());
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (DataNotDeliveredException ex)
{
    // a warehouse built from fewer extracts: what the verb needs, never a stack trace
    Console.Error.WriteLine($"{ex.Message} (ra status lists what was delivered)");
    return CliOptions.ExitNeedsAttention;
}
catch (OperationCanceledException)
{
    // Ctrl+C or a stop signal: loads and builds commit in transactions, so what was not committed is rolled back
    Console.Error.WriteLine("Stopped before the end: work not yet committed was rolled back; run the command again to finish it.");
    return CliOptions.ExitInterrupted;
}
catch (Exception ex) when (ex is InvalidOperationException or DuckDB.NET.Data.DuckDBException or RetentionAnalytics.Core.Transforms.TransformException)
{
    Console.Error.WriteLine(ex.Message);
    return CliOptions.ExitFailed;
}
