using Dapper;
using Npgsql;

namespace RetentionAnalytics.Tests.Support;

/// <summary>Lets a test hold a row in an open transaction and see another node's write wait for it.</summary>
public static class PostgresWaits
{
    /// <summary>
    /// Returns once <paramref name="work"/> waits for a lock in the database (or has finished, or 30 s have passed),
    /// so the test's own transaction may then commit "at the same moment".
    /// </summary>
    public static void UntilWaitingForALock(string connectionString, Task work)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!work.IsCompleted && DateTime.UtcNow < until
               && c.ExecuteScalar<long>("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") == 0)
        {
            Thread.Sleep(20);
        }
    }
}
