using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Jobs;

public sealed record JobProgress(double Percent, string Stage, string? Message = null);

public sealed record JobRun(
    long RunId, string JobName, string TriggerKind, string Status, DateTime StartedAt, DateTime? FinishedAt,
    double ProgressPct, string? Stage, string? Message, string? Host, string? Summary = null)
{
    /// <summary>The run's summary as its sentences, for the reader's language; null when it has none (see the message).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RunNotes? Notes => RunNotes.FromJson(Summary);
}

/// <summary>Records every job run with its progress, so the portal and the CLI can show what ran and how it ended.</summary>
public sealed class JobRuns(Db db)
{
    public long Start(string jobName, string triggerKind)
    {
        using var c = db.Ops.Connect();
        return c.ExecuteScalar<long>(db.Ops.Text("""
            insert into meta.job_run (run_id, job_name, trigger_kind, status, started_at, host, pid)
            values (nextval('meta.job_run_id_seq'), $jobName, $triggerKind, 'running', now(), $host, $pid)
            returning run_id
            """), new { jobName, triggerKind, host = Environment.MachineName, pid = Environment.ProcessId });
    }

    public void Report(long runId, JobProgress progress)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Text("""
            update meta.job_run set progress_pct = $pct, stage = $stage, message = coalesce($message, message)
            where run_id = $runId
            """), new { runId, pct = Math.Clamp(progress.Percent, 0, 100), stage = progress.Stage, message = progress.Message });
    }

    /// <param name="notes">The summary in sentences (their English is <paramref name="message"/>), when the work has one.</param>
    public void Finish(long runId, string status, string? message, RunNotes? notes = null)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Text("""
            update meta.job_run
            set status = $status, finished_at = now(), message = $message, summary = $summary,
                progress_pct = case when $status = 'succeeded' then 100 else progress_pct end
            where run_id = $runId
            """), new { runId, status, message, summary = notes?.ToJson() });
    }

    /// <summary>
    /// Runs left 'running' by a process that died (killed, crashed, powered off) are marked 'interrupted', so that nobody
    /// waits for them. Called when a process opens the warehouse: DuckDB lets one process at a time hold the file, so a
    /// run still 'running' then belongs to an earlier process that did not finish it.
    /// </summary>
    public int MarkInterrupted() => Interrupt("marked when the warehouse was next opened").Count;

    /// <summary>
    /// The same when a node takes the writer role over (several nodes, docs/deploy.md): only the writer runs jobs, so a
    /// run another process left 'running' belongs to a writer that is gone. Returns the runs it marked.
    /// </summary>
    public IReadOnlyList<JobRun> InterruptOthers(string node) => Interrupt($"marked when {node} took over as the writer");

    private IReadOnlyList<JobRun> Interrupt(string when)
    {
        using var c = db.Ops.Connect();
        return c.Query<JobRun>(db.Ops.Text("""
            update meta.job_run set status = 'interrupted', finished_at = now(),
                message = 'the process ' || coalesce('(pid ' || pid || ' on ' || host || ') ', '')
                          || 'ended before the run finished; ' || $when
                          || coalesce('; last progress: ' || stage || ' ' || round(progress_pct) || ' %', '')
            where status = 'running' and (pid is null or pid <> $pid or host <> $host)
            returning run_id as RunId, job_name as JobName, trigger_kind as TriggerKind, status as Status,
                      started_at as StartedAt, finished_at as FinishedAt, progress_pct as ProgressPct,
                      stage as Stage, message as Message, host as Host, summary as Summary
            """), new { pid = Environment.ProcessId, host = Environment.MachineName, when }).ToList();
    }

    public IReadOnlyList<JobRun> Recent(int count = 50, string? jobName = null)
    {
        using var c = db.Ops.Connect();
        return c.Query<JobRun>(db.Ops.Text("""
            select run_id as RunId, job_name as JobName, trigger_kind as TriggerKind, status as Status,
                   started_at as StartedAt, finished_at as FinishedAt, progress_pct as ProgressPct,
                   stage as Stage, message as Message, host as Host, summary as Summary
            from meta.job_run
            where cast($jobName as varchar) is null or job_name = $jobName
            order by run_id desc
            limit $count
            """), new { count, jobName }).ToList();
    }

    public DateTime? LastSucceededAt(string jobName)
    {
        using var c = db.Ops.Connect();
        return c.ExecuteScalar<DateTime?>(
            db.Ops.Text("select max(started_at) from meta.job_run where job_name = $jobName and status = 'succeeded'"),
            new { jobName });
    }

    /// <summary>Runs a piece of work as a recorded job: start, progress, and an end status that says how it went.</summary>
    public async Task<T> RunAsync<T>(string jobName, string triggerKind,
        Func<IProgress<JobProgress>, CancellationToken, Task<T>> work, CancellationToken ct = default)
    {
        var runId = Start(jobName, triggerKind);
        var progress = new ThrottledProgress(p => Report(runId, p));
        try
        {
            var result = await work(progress, ct);
            progress.Flush();
            Finish(runId, "succeeded", result?.ToString(), (result as IHasRunNotes)?.Notes ?? result as RunNotes);
            return result;
        }
        catch (OperationCanceledException)
        {
            Finish(runId, "cancelled", "cancelled");
            throw;
        }
        catch (Exception ex)
        {
            Finish(runId, "failed", ex.Message);
            throw;
        }
    }

    /// <summary>
    /// Writes progress at most every 500 ms: progress rows are for people, not a log. Writes are serialised (parallel
    /// loads report from several threads, and two updates of the run's row at once conflict in DuckDB), and a write
    /// that still fails is skipped: progress never fails the work it describes.
    /// </summary>
    private sealed class ThrottledProgress(Action<JobProgress> write) : IProgress<JobProgress>
    {
        private readonly Lock _gate = new();
        private readonly Lock _writing = new();
        private DateTime _last = DateTime.MinValue;
        private JobProgress? _pending;

        public void Report(JobProgress value)
        {
            lock (_gate)
            {
                _pending = value;
                if (DateTime.UtcNow - _last < TimeSpan.FromMilliseconds(500))
                {
                    return;
                }
                _last = DateTime.UtcNow;
                _pending = null;
            }
            TryWrite(value);
        }

        public void Flush()
        {
            JobProgress? pending;
            lock (_gate)
            {
                pending = _pending;
                _pending = null;
            }
            if (pending is not null)
            {
                TryWrite(pending);
            }
        }

        private void TryWrite(JobProgress value)
        {
            lock (_writing)
            {
                try
                {
                    write(value);
                }
                catch (DuckDBException)
                {
                    // a conflict with the row's other writer: the next report or the finish brings it up to date
                }
            }
        }
    }
}
