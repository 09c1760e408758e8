using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Imports;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Dialer;

/// <summary>
/// A dialer's results file for a campaign (docs/workbench.md, Outbound dialer):
/// <c>task_id,call_id,disposition,agent[,result,churn_reason_id,callback_at,notes]</c>, one row per attempt. Each row
/// is applied like a reported disposition (<see cref="OutboundDialer"/>: the agent's outcome transaction), in file order;
/// a row that cannot be applied is rejected with its reason and changes nothing. Rows in = applied + rejected. The
/// call id makes a re-import idempotent: a row whose call was applied before is rejected as "already applied". The run
/// is kept in ops.import_run (kind <c>dialer_results</c>) and audited.
/// </summary>
public sealed class DialerResultsImport(Db db, AuditLog audit, RegionClock clock, DialerDesk desk, OutboundDialer dialer)
{
    public const string Integration = "csv";
    public static readonly IReadOnlyList<string> Columns = ["task_id", "call_id", "disposition", "agent"];

    public ImportResult Import(Actor supervisor, long campaignId, Stream file, string fileName)
    {
        var cities = desk.CitiesOf(supervisor, campaignId, "dialer_import");
        var rows = CsvImport.Read(file, Columns);
        var rejections = new List<ImportRejection>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var problem = ApplyRow(supervisor, campaignId, cities, row, seen);
            if (problem is not null)
            {
                rejections.Add(new ImportRejection(row.RowNo, problem));
            }
        }
        ImportResult result;
        using (var c = db.Connect())
        {
            var importId = c.ExecuteScalar<long>("select nextval('ops.import_id_seq')");
            using var tx = c.BeginTransaction();
            result = CsvImport.Record(db, c, tx, "dialer_results", fileName, rows.Count, rejections, supervisor.Username, clock.Now, importId);
            tx.Commit();
        }
        CsvImport.Audit(audit, supervisor.Username, "dialer_results", result);
        return result;
    }

    private string? ApplyRow(Actor supervisor, long campaignId, IReadOnlyList<string> cities, CsvRow row, HashSet<string> seen)
    {
        if (!long.TryParse(row.Get("task_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var taskId))
        {
            return "task_id is not a number";
        }
        var callId = row.Get("call_id");
        if (callId.Length == 0)
        {
            return "call_id is empty";
        }
        if (!seen.Add(callId))
        {
            return "the same call_id came earlier in the file";
        }
        DateTime? callbackAt = null;
        if (row.Get("callback_at") is { Length: > 0 } text)
        {
            if (!DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"],
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return "callback_at is not a time yyyy-MM-dd HH:mm";
            }
            callbackAt = at;
        }
        using (var c = db.Connect())
        {
            var city = c.QuerySingleOrDefault<string>(db.Sql.Get("dialer/task_city.sql"), new { task_id = taskId, campaign_id = campaignId });
            if (city is null || !cities.Contains(city))
            {
                // a task of another campaign or region is not named: the same answer as an unknown one
                return "unknown task of this campaign or outside your regions";
            }
        }
        try
        {
            var applied = dialer.Apply(Integration, campaignId, taskId, null, new DispositionInput(
                row.Get("disposition"), row.Get("agent"), Blank(row.Get("result")), Blank(row.Get("churn_reason_id")), callbackAt,
                Blank(row.Get("notes")), callId));
            return applied.Repeated ? "already applied (the call_id was imported before)" : null;
        }
        catch (DialerException ex)
        {
            return ex.Code;
        }
    }

    private static string? Blank(string value) => value.Length == 0 ? null : value;
}
