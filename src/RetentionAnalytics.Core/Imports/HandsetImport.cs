using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Imports;

public sealed record HandsetRecord(string SubscriberId, string Brand, string Model, string ImeiTac, DateOnly ObservedOn);

/// <summary>
/// Handset (terminal) information from CSV: <c>subscriber_id,brand,model,imei_tac,observed_on</c> into ops.handset,
/// per row like the blacklist import. imei_tac is the 8-digit type allocation code (a full IMEI is refused: it
/// identifies a device, which the retention work does not need). The customer 360 reads the newest per subscriber.
/// </summary>
public sealed class HandsetImport(Db db, AuditLog audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Columns = ["subscriber_id", "brand", "model", "imei_tac", "observed_on"];

    public ImportResult Import(Stream file, string fileName, string username, RegionScope scope)
    {
        var rows = CsvImport.Read(file, Columns);
        var now = db.Clock.At(clock.GetUtcNow());
        var today = DateOnly.FromDateTime(now);
        using var c = db.Connect();
        var known = CsvImport.KnownSubscribers(db, c, rows.Select(r => r.Get("subscriber_id")), scope);
        var rejections = new List<ImportRejection>();
        var accepted = new List<HandsetRecord>();
        foreach (var row in rows)
        {
            var subscriber = row.Get("subscriber_id");
            var brand = row.Get("brand");
            var model = row.Get("model");
            var tac = row.Get("imei_tac");
            string? problem = null;
            var observed = default(DateOnly);
            if (!known.Contains(subscriber))
            {
                problem = subscriber.Length == 0 ? "subscriber_id is empty" : "unknown subscriber or outside your scope";
            }
            else if (brand.Length is 0 or > 50 || model.Length is 0 or > 100)
            {
                problem = "brand (1..50) and model (1..100 characters) are required";
            }
            else if (tac.Length != 8 || !tac.All(char.IsAsciiDigit))
            {
                problem = "imei_tac must be the 8 digits of the type allocation code";
            }
            else if (!DateOnly.TryParseExact(row.Get("observed_on"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out observed))
            {
                problem = "observed_on is not a date yyyy-MM-dd";
            }
            else if (observed > today)
            {
                problem = "observed_on lies in the future";
            }
            if (problem is null)
            {
                accepted.Add(new HandsetRecord(subscriber, brand, model, tac, observed));
            }
            else
            {
                rejections.Add(new ImportRejection(row.RowNo, problem));
            }
        }

        var importId = c.ExecuteScalar<long>("select nextval('ops.import_id_seq')");
        ImportResult result;
        using (var tx = c.BeginTransaction())
        {
            using (var appender = c.CreateAppender("ops", "handset"))
            {
                foreach (var a in accepted)
                {
                    appender.CreateRow().AppendValue(a.SubscriberId).AppendValue(a.Brand).AppendValue(a.Model).AppendValue(a.ImeiTac)
                        .AppendValue(a.ObservedOn).AppendValue(importId).AppendValue(now).EndRow();
                }
            }
            result = CsvImport.Record(db, c, tx, "handset", fileName, rows.Count, rejections, username, now, importId);
            tx.Commit();
        }
        CsvImport.Audit(audit, username, "handset", result);
        return result;
    }

    /// <summary>The newest imported handset of a subscriber in the scope (for the customer 360).</summary>
    public HandsetRecord? Newest(string subscriberId, RegionScope scope)
    {
        using var c = db.Connect();
        var args = scope.AddTo(new DynamicParameters());
        args.Add("subscriber_id", subscriberId);
        return c.QueryFirstOrDefault<HandsetRecord>(db.Sql.Get("imports/newest_handset.sql"), args);
    }
}
