using System.CommandLine;
using System.Runtime.InteropServices;
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
// which stop signal arrived, if any: the command line's own handlers cancel the verb's token on both
PosixSignal? stoppedBy = null;
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stoppedBy ??= PosixSignal.SIGINT);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stoppedBy ??= PosixSignal.SIGTERM);
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
catch (Exception ex) when (stoppedBy is { } signal
                           && ex is OperationCanceledException or DuckDB.NET.Data.DuckDBException or RetentionAnalytics.Core.Transforms.TransformException)
{
    // Ctrl+C or a stop signal, at a check between steps or by interrupting the statement running: loads and builds
    // commit in transactions, so what was not committed is rolled back (a cancellation nobody asked for, such as a
    // timeout, is not this and keeps its own message)
    Console.Error.WriteLine("Stopped before the end: work not yet committed was rolled back; run the command again to finish it.");
    return signal == PosixSignal.SIGINT ? CliOptions.ExitInterrupted : CliOptions.ExitTerminated;
}
catch (OperationCanceledException ex)
{
    // given up without a signal: a timeout, whose message says which
    Console.Error.WriteLine(ex.Message);
    return CliOptions.ExitFailed;
}
catch (Exception ex) when (ex is InvalidOperationException or DuckDB.NET.Data.DuckDBException or RetentionAnalytics.Core.Transforms.TransformException)
{
    Console.Error.WriteLine(ex.Message);
    return CliOptions.ExitFailed;
}
