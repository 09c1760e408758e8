using System.Data;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Customers;

/// <summary>
/// The customer 360 view: one subscriber with every section an agent needs during a call, and the reveal of one
/// masked identifier. A subscriber outside the viewer's regions is "not found" exactly like an unknown id (no
/// hint that it exists); the attempt is audited as denied. Every successful open and reveal is audited.
/// The warehouse's part comes from the serving profile the pipeline builds (sql/transforms/260_mart_subscriber_profile.sql),
/// read by key; SQL: sql/customers/c360_*.sql.
/// </summary>
public sealed class Customer360(Db db, AuditLog audit)
{
    public const string ViewAction = "customer_view";
    public const string RevealAction = "reveal";
    public const string DeniedAction = "denied";

    /// <summary>The view of one subscriber, or null when it does not exist or lies outside the viewer's regions.</summary>
    public CustomerView? Open(string? subscriberId, CustomerViewer viewer) => Read(subscriberId, viewer)?.View;

    /// <summary>
    /// The view and the warehouse's probable reasons for a call, read together: four reads by key (the serving
    /// profile, the alerts, the tasks and the retention contacts) on one connection, then the audited view.
    /// </summary>
    public OpenedCustomer? Read(string? subscriberId, CustomerViewer viewer)
    {
        if (!IsWellFormed(subscriberId))
        {
            return null;
        }
        using var c = db.Connect();
        return Read(c, subscriberId, viewer);
    }

    /// <summary>
    /// <see cref="Read(string?, CustomerViewer)"/> on the caller's connection (opening a task reads the task, the 360
    /// and the reasons on one connection). <paramref name="contacts"/>: the subscriber's retention contacts when the
    /// caller has just read them (opening a task reads them once for the task and the 360), newest first, at most 200.
    /// </summary>
    public OpenedCustomer? Read(IDbConnection c, string? subscriberId, CustomerViewer viewer,
        IReadOnlyList<RetentionContactLine>? contacts = null)
    {
        if (!IsWellFormed(subscriberId))
        {
            return null;
        }
        // read by key alone (the index), then scoped here: outside the viewer's regions is not found, like an unknown id
        var row = c.QuerySingleOrDefault<SubscriberProfileRow>(
            db.Sql.Get("customers/c360_serving_profile.sql"), new { subscriber_id = subscriberId, lang = viewer.Language });
        if (row is null || !viewer.Scope.Allows(row.CityCode))
        {
            AuditMiss(c, subscriberId, viewer, "customer_view");
            return null;
        }

        // the operational rows and the detectors' alerts are keyed by the id the scoped profile read returned; they are
        // read from their own tables and combined here (never joined with the warehouse's)
        var key = new { subscriber_id = subscriberId, lang = viewer.Language };
        var masked = MaskedFor(viewer);
        var alerts = Alerts(c, db, subscriberId, viewer.Language);
        var view = new CustomerView(
            Profile: Masked(row.Profile, masked),
            MaskedFields: masked,
            History: row.History(viewer.Language),
            Agreements: row.Agreements,
            Bills: row.Bills,
            Payments: row.Payments,
            Usage: row.Usage,
            State: row.State,
            Recharges: row.Recharges,
            Vas: row.Vas,
            ServiceContacts: row.ServiceContacts,
            RetentionContacts: contacts ?? List<RetentionContactLine>(c, "c360_retention_contacts.sql", key),
            Alerts: SubscriberAlert.Recent(alerts),
            Tasks: List<TaskLine>(c, "c360_tasks.sql", key));
        // the view is shown only once its audit row is committed (a failed write throws here)
        audit.Write(viewer.Username, ViewAction, subscriberId, clientIp: viewer.ClientIp);
        return new OpenedCustomer(view, row.Reasons, alerts);
    }

    /// <summary>
    /// The full value of one identifier of a subscriber in the viewer's regions, for a user who sees them masked.
    /// Audited as 'reveal' with the field's name; null (and audited as denied) outside the viewer's regions.
    /// </summary>
    public string? Reveal(string? subscriberId, IdentifierField field, CustomerViewer viewer)
    {
        if (!IsWellFormed(subscriberId))
        {
            return null;
        }
        using var c = db.Connect();
        var ids = c.QuerySingleOrDefault<FullIdentifiers>(
            db.Sql.Get("customers/c360_identifiers.sql"), Scoped(subscriberId, viewer));
        if (ids is null)
        {
            AuditMiss(c, subscriberId, viewer, $"reveal:{FieldName(field)}");
            return null;
        }
        audit.Write(viewer.Username, RevealAction, subscriberId, detail: $"field={FieldName(field)}", clientIp: viewer.ClientIp);
        return field switch
        {
            IdentifierField.Msisdn => ids.Msisdn,
            IdentifierField.Imsi => ids.Imsi,
            IdentifierField.IdNumber => ids.IdNumber,
            IdentifierField.CustomerName => ids.CustomerName,
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }

    /// <summary>The name a field has in the audit trail.</summary>
    public static string FieldName(IdentifierField field) => field switch
    {
        IdentifierField.Msisdn => "msisdn",
        IdentifierField.Imsi => "imsi",
        IdentifierField.IdNumber => "id_number",
        IdentifierField.CustomerName => "customer_name",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private sealed record FullIdentifiers(string? Msisdn, string? Imsi, string? IdNumber, string? CustomerName);

    private static readonly IReadOnlySet<IdentifierField> AllIdentifiers = Enum.GetValues<IdentifierField>().ToHashSet();
    private static readonly IReadOnlySet<IdentifierField> IdNumberOnly = new HashSet<IdentifierField> { IdentifierField.IdNumber };

    /// <summary>
    /// Who works with the customer (agents, supervisors) sees name, number and IMSI to talk to them; nobody is shown the
    /// national ID number in full unasked -- a call needs at most its last digits, and a reveal is audited. Everyone
    /// else sees every identifier masked.
    /// </summary>
    public static IReadOnlySet<IdentifierField> MaskedFor(CustomerViewer viewer) =>
        viewer.SeesUnmaskedIdentifiers ? IdNumberOnly : AllIdentifiers;

    private static CustomerProfile Masked(CustomerProfile p, IReadOnlySet<IdentifierField> masked) => p with
    {
        CustomerName = masked.Contains(IdentifierField.CustomerName) ? IdentifierMask.Name(p.CustomerName) : p.CustomerName,
        IdNumber = masked.Contains(IdentifierField.IdNumber) ? IdentifierMask.IdNumber(p.IdNumber) : p.IdNumber,
        Msisdn = masked.Contains(IdentifierField.Msisdn) ? IdentifierMask.Phone(p.Msisdn) : p.Msisdn,
        Imsi = masked.Contains(IdentifierField.Imsi) ? IdentifierMask.Imsi(p.Imsi) : p.Imsi,
    };

    /// <summary>
    /// A miss is audited: as denied when the subscriber exists in another region (someone probing ids or a
    /// stale link), as failed without the typed id when the id is unknown. The caller gets null either way.
    /// </summary>
    private void AuditMiss(IDbConnection c, string subscriberId, CustomerViewer viewer, string attempted)
    {
        var exists = c.ExecuteScalar<bool>(db.Sql.Get("customers/c360_exists.sql"), new { subscriber_id = subscriberId });
        if (exists)
        {
            audit.Write(viewer.Username, DeniedAction, subscriberId, outcome: "denied", detail: attempted, clientIp: viewer.ClientIp);
        }
        else
        {
            // not a subscriber id: whatever was typed into the address may be a phone or ID number, so it is not kept
            audit.Write(viewer.Username, attempted.StartsWith("reveal", StringComparison.Ordinal) ? RevealAction : ViewAction,
                null, outcome: "failed", detail: "not_found", clientIp: viewer.ClientIp);
        }
    }

    private static DynamicParameters Scoped(string subscriberId, CustomerViewer viewer) =>
        viewer.Scope.AddTo(new DynamicParameters(new { subscriber_id = subscriberId, lang = viewer.Language }));

    /// <summary>Every alert of the subscriber, names in <paramref name="language"/>: one read by key.</summary>
    public static IReadOnlyList<SubscriberAlert> Alerts(IDbConnection c, Db db, string subscriberId, string language) =>
        c.Query<SubscriberAlert>(db.Sql.Get("customers/c360_alerts.sql"), new { subscriber_id = subscriberId, lang = language }).ToList();

    private List<T> List<T>(IDbConnection c, string file, object key) => c.Query<T>(db.Sql.Get($"customers/{file}"), key).ToList();

    /// <summary>
    /// Ids come from links and the address bar: anything that is not a plausible id is not looked up (and not
    /// written to the audit trail, which holds identifiers only).
    /// </summary>
    private static bool IsWellFormed([NotNullWhen(true)] string? subscriberId) =>
        subscriberId is { Length: > 0 and <= 32 } && subscriberId.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-');
}

/// <summary>
/// An opened customer: the 360 view, the warehouse's probable reasons for a call and every alert of the subscriber
/// (the view shows the recent ones; the reasons of a task are matched against all).
/// </summary>
public sealed record OpenedCustomer(CustomerView View, IReadOnlyList<WarehouseReason> Reasons, IReadOnlyList<SubscriberAlert> Alerts);
