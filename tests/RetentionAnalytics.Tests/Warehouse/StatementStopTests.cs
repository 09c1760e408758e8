using Dapper;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>A stop asked for does not wait for the statement running: at a province's size one statement can run for minutes.</summary>
public sealed class StatementStopTests
{
    [Fact]
    public async Task A_stop_interrupts_the_statement_running_and_its_transaction_rolls_back()
    {
        using var w = new TestWarehouse();
        using var c = w.Db.Connect();
        c.Execute("create table t (n bigint)");
        // the statement tells the test it runs: a function of its own, called for every chunk it goes through
        using var started = new ManualResetEventSlim();
        c.RegisterScalarFunction<long, long>("statement_runs", (args, result, rows) =>
        {
            started.Set();
            for (ulong i = 0; i < rows; i++) result.WriteValue(args[0].GetValue<long>(i), i);
        });
        using var stop = new CancellationTokenSource();
        using var interrupt = c.InterruptOn(stop.Token);
        var running = Task.Run(() =>
        {
            try
            {
                using var tx = c.BeginTransaction();
                c.Execute("insert into t values (1)", transaction: tx);
                // days of work for two cores: it ends only when interrupted
                c.Execute("insert into t select sum(hash(statement_runs(i))) from range(1000000000000000) r(i)", transaction: tx, commandTimeout: 0);
                tx.Commit();
            }
            catch (Exception ex) when (stop.IsCancellationRequested)
            {
                throw StatementStop.Stopped(ex, stop.Token);
            }
        });
        // the stop comes while the statement runs (an interrupt of an idle connection is forgotten)
        await Task.WhenAny(running, Task.Run(() => started.Wait(TimeSpan.FromMinutes(2))));
        Assert.False(running.IsCompleted, $"the statement ended before the stop: {running.Exception?.GetBaseException().Message}");
        Assert.True(started.IsSet, "the statement did not start within two minutes");
        stop.Cancel();

        Assert.True(await Task.WhenAny(running, Task.Delay(TimeSpan.FromMinutes(2))) == running, "the statement went on after the stop");
        // the failure reads as the stop that caused it
        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(stop.Token, failure.CancellationToken);
        // and it was the interrupt that ended the statement (DuckDB.NET's cancellation of it), not another failure
        Assert.IsType<OperationCanceledException>(failure.InnerException);
        // the transaction rolled back, and the connection works on
        Assert.Equal(0L, c.ExecuteScalar<long>("select count(*) from t"));
    }
}
