using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Customers;

/// <summary>One subscriber found by a search: its current state, the phone number masked unless the viewer may see it.</summary>
public sealed record CustomerSearchRow(
    string SubscriberId,
    string? Msisdn,
    string? CustomerId,
    string? PlanCode,
    string? PlanName,
    string? Status,
    string? CityCode,
    string? CityName,
    string? ValueTier,
    string? ValueTierName,
    string MatchedKind,
    bool IsExact);

/// <summary>The answer to a search: rows, or the problem with the typed key (then no rows).</summary>
public sealed record CustomerSearchResult(
    SearchKeyKind Kind, IReadOnlyList<CustomerSearchRow> Rows, bool Truncated, SearchKeyProblem? Problem)
{
    public bool IsValid => Problem is null;
}

/// <summary>
/// Finds subscribers by phone number, IMSI, customer number, contract number or subscriber id, exactly or by
/// prefix, among the subscribers of the viewer's regions (by current city). SQL: sql/customers/search.sql.
/// </summary>
public sealed class CustomerSearch(Db db)
{
    /// <summary>An agent picks from a short list; a prefix that matches more asks for more digits.</summary>
    public const int MaxRows = 50;

    public CustomerSearchResult Search(string? typed, CustomerViewer viewer)
    {
        var (key, problem) = SearchKey.Parse(typed);
        if (key is null)
        {
            return new CustomerSearchResult(SearchKeyKind.Any, [], false, problem);
        }
        if (viewer.Scope.IsEmpty)
        {
            return new CustomerSearchResult(key.Kind, [], false, null);
        }
        var parameters = viewer.Scope.AddTo(new DynamicParameters(new
        {
            key = key.Value,
            key_end = key.RangeEnd,
            kinds = string.Join(',', key.ColumnKinds),
            lang = viewer.Language,
            // one more than shown tells whether the list was cut
            max_rows = MaxRows + 1,
        }));
        using var c = db.Connect();
        var rows = c.Query<CustomerSearchRow>(db.Sql.Get("customers/search.sql"), parameters).ToList();
        var truncated = rows.Count > MaxRows;
        var shown = rows.Take(MaxRows)
            .Select(r => viewer.SeesUnmaskedIdentifiers ? r : r with { Msisdn = IdentifierMask.Phone(r.Msisdn) })
            .ToList();
        return new CustomerSearchResult(key.Kind, shown, truncated, null);
    }
}
