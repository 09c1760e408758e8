using System.Data;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Blacklist;

/// <summary>
/// The blacklist as the warehouse-side checks read it (the call lists' exclusions, the SMS dispatcher's suppression):
/// the temp table <c>blacklist_in_force (subscriber_id, opted_out)</c> on the caller's warehouse connection, one row
/// per subscriber with an entry in force for the channel (blacklist/in_force.sql). With the operational data in
/// PostgreSQL the rows are read there and appended; with the default they are selected from the same file.
/// </summary>
public static class BlacklistInForce
{
    public const string Call = "call";
    public const string Sms = "sms";

    public static void Stage(Db db, DuckDBConnection warehouse, IDbTransaction? tx, string channel, DateOnly today)
    {
        var args = new { channel, today };
        if (!db.Ops.IsPostgres)
        {
            warehouse.Execute("create or replace temp table blacklist_in_force as " + db.Sql.Get("blacklist/in_force.sql"), args, tx);
            return;
        }
        warehouse.Execute("create or replace temp table blacklist_in_force (subscriber_id varchar, opted_out boolean)", transaction: tx);
        using var ops = db.Ops.Connect();
        using var appender = warehouse.CreateAppender("blacklist_in_force");
        foreach (var entry in ops.Query<(string SubscriberId, bool OptedOut)>(db.Ops.Sql.Get("blacklist/in_force.sql"), args, buffered: false))
        {
            appender.CreateRow().AppendValue(entry.SubscriberId).AppendValue(entry.OptedOut).EndRow();
        }
    }
}
