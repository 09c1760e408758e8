using DuckDB.NET.Data;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>
/// DuckDB's optimistic concurrency aborts a transaction that updates a row another open transaction has updated
/// ("Transaction conflict"). Such a unit of work is run again from the start (it re-reads the task, so the version
/// check then decides who holds it), after a short random pause so that the losers do not collide again.
/// </summary>
internal static class ConflictRetry
{
    public static T Run<T>(int attempts, Func<T> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (DuckDBException ex) when (IsConflict(ex))
            {
                if (attempt >= attempts)
                {
                    throw new WorkbenchException(WorkbenchFailure.Conflict, "busy", "The task stayed in conflict with other transactions.");
                }
                Thread.Sleep(Random.Shared.Next(2, 10 * attempt));
            }
        }
    }

    public static bool IsConflict(Exception ex) => ex.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase);
}
