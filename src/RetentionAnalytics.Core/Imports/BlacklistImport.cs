using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Imports;

/// <summary>
/// Blacklist entries from CSV: <c>subscriber_id,scope,reason[,valid_until]</c> (valid_until yyyy-MM-dd, empty: no
/// expiry). A row is rejected when the subscriber is unknown or outside the importer's scope, a value is not allowed,
/// the date is malformed or past, or the same subscriber and scope came earlier in the file. Source: import. The
/// subscribers are checked in the warehouse; the entries, the run and its rejections are written with the
/// operational data (<see cref="Db.Ops"/>) in one transaction.
/// </summary>
public sealed class BlacklistImport(Db db, AuditLog audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Columns = ["subscriber_id", "scope", "reason"];

    public ImportResult Import(Stream file, string fileName, string username, RegionScope scope)
    {
        var rows = CsvImport.Read(file, Columns);
        var now = db.Clock.At(clock.GetUtcNow());
        var today = DateOnly.FromDateTime(now);
        HashSet<string> known;
        using (var warehouse = db.Connect())
        {
            known = CsvImport.KnownSubscribers(db, warehouse, rows.Select(r => r.Get("subscriber_id")), scope);
        }
        var rejections = new List<ImportRejection>();
        var accepted = new List<(string Subscriber, string Scope, string Reason, DateOnly? Until)>();
        var seen = new HashSet<(string, string)>();
        foreach (var row in rows)
        {
            var subscriber = row.Get("subscriber_id");
            var entryScope = row.Get("scope").ToLowerInvariant();
            var reason = row.Get("reason").ToLowerInvariant();
            var untilText = row.Get("valid_until");
            string? problem = null;
            DateOnly? until = null;
            if (subscriber.Length == 0)
            {
                problem = "subscriber_id is empty";
            }
            else if (!known.Contains(subscriber))
            {
                problem = "unknown subscriber or outside your scope";
            }
            else if (!BlacklistService.Scopes.Contains(entryScope))
            {
                problem = $"scope must be one of {string.Join(", ", BlacklistService.Scopes)}";
            }
            else if (!BlacklistService.Reasons.Contains(reason))
            {
                problem = $"reason must be one of {string.Join(", ", BlacklistService.Reasons)}";
            }
            else if (untilText.Length > 0)
            {
                if (!DateOnly.TryParseExact(untilText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    problem = "valid_until is not a date yyyy-MM-dd";
                }
                else if (d < today)
                {
                    problem = "valid_until lies in the past";
                }
                else
                {
                    until = d;
                }
            }
            if (problem is null && !seen.Add((subscriber, entryScope)))
            {
                problem = "the same subscriber and scope came earlier in the file";
            }
            if (problem is null)
            {
                accepted.Add((subscriber, entryScope, reason, until));
            }
            else
            {
                rejections.Add(new ImportRejection(row.RowNo, problem));
            }
        }

        // the entries, the run and its rejections together in the operational data: all of them or none
        using var c = db.Ops.Connect();
        var importId = c.ExecuteScalar<long>("select nextval('ops.import_id_seq')");
        ImportResult result;
        using (var tx = c.BeginTransaction())
        {
            OpsDb.Append(c, "ops", "blacklist", ["subscriber_id", "scope", "reason", "source", "valid_until", "created_at", "created_by"],
                accepted.Select(a => new object?[] { a.Subscriber, a.Scope, a.Reason, "import", a.Until, now, username }));
            result = CsvImport.Record(db, c, tx, "blacklist", fileName, rows.Count, rejections, username, now, importId);
            tx.Commit();
        }
        CsvImport.Audit(audit, username, "blacklist", result);
        return result;
    }
}
