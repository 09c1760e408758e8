using Dapper;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Audit;

/// <summary>
/// The audit log keeps the province's clock, as every other stored time does. Earlier versions stamped it with the
/// database's <c>now()</c> on the server's clock: on a server that keeps another zone (UTC, say) its times were hours
/// away from the work-order and callback times beside them. The first time a store opens with this version, its audit
/// log is moved from the server's zone to the province's, once, and <c>ops.stamp_zone</c> records that it was.
/// </summary>
public static class AuditClock
{
    public sealed record Adoption(string Zone, string? ShiftedFrom, long RowsShifted);

    /// <summary>Adopts the province's zone for the store's audit log; null when it already had.</summary>
    public static Adoption? Adopt(Db db) => Adopt(db, TimeZoneInfo.Local);

    /// <param name="server">The zone the server kept when earlier versions wrote the log.</param>
    public static Adoption? Adopt(Db db, TimeZoneInfo server)
    {
        var province = db.Clock.Province;
        using var c = db.Ops.Connect();
        if (c.ExecuteScalar<string?>(db.Ops.Sql.Get("audit/stamp_zone.sql")) is not null)
        {
            return null;
        }
        var zone = db.Clock.ProvinceZoneId;
        var from = server.Id == province.Id || server.HasSameRules(province) ? null : RegionClock.IanaId(server);
        using var tx = c.BeginTransaction();
        try
        {
            // the row first: a node opening the same store at this moment waits for it, then finds the key taken
            c.Execute(db.Ops.Sql.Get("audit/stamp_zone_adopt.sql"), new { zone, shifted_from = from, rows_shifted = 0L }, tx);
        }
        catch (Exception ex) when (IsTaken(ex))
        {
            return null;
        }
        long rows = 0;
        if (from is not null)
        {
            rows = c.Execute(db.Ops.Sql.Get("audit/stamp_zone_shift.sql"), new { from, to = zone }, tx);
            c.Execute(db.Ops.Sql.Get("audit/stamp_zone_counted.sql"), new { rows }, tx);
        }
        tx.Commit();
        return new Adoption(zone, rows > 0 ? from : null, rows);
    }

    private static bool IsTaken(Exception ex) =>
        ex is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        || ex.Message.Contains("violates primary key", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase);
}
