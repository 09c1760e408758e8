using Dapper;
using RetentionAnalytics.Portal.Features.Operations;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// Issue 13 item 2's health half: every later inbox run failed and /healthz still said "ok". The status is read from
/// meta.job_run of a real warehouse file with the endpoint's own query.
/// </summary>
public sealed class HealthStatusTests : IDisposable
{
    private readonly TestWarehouse _warehouse = new();

    public void Dispose() => _warehouse.Dispose();

    private void Run(string job, string status, int minutesAgo)
    {
        using var c = _warehouse.Db.Connect();
        c.Execute("""
            insert into meta.job_run (run_id, job_name, trigger_kind, status, started_at, finished_at, host)
            values (nextval('meta.job_run_id_seq'), $job, 'schedule', $status, now() - to_minutes(cast($minutes + 1 as bigint)),
                    case when $status = 'running' then null else now() - to_minutes(cast($minutes as bigint)) end, 'test')
            """, new { job, status, minutes = minutesAgo });
    }

    private string Status()
    {
        return OperationsEndpoints.StatusOf(OperationsEndpoints.LastPipelineRun(_warehouse.Db));
    }

    [Fact]
    public void Health_is_degraded_while_the_last_pipeline_or_inbox_run_failed_and_ok_again_after_a_success()
    {
        Assert.Equal("ok", Status());

        Run("daily-pipeline", "succeeded", 60);
        Assert.Equal("ok", Status());

        Run("inbox-poll", "failed", 30);
        // a CLI run or an unfinished run does not hide the failure
        Run("cli-load", "succeeded", 20);
        Run("inbox-poll", "running", 0);
        Assert.Equal("degraded", Status());

        Run("inbox-poll", "succeeded", 10);
        Assert.Equal("ok", Status());

        Run("daily-pipeline", "interrupted", 5);
        Assert.Equal("degraded", Status());
    }
}
