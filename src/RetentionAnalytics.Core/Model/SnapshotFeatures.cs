using Dapper;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Model;

/// <summary>
/// The churn model of a warehouse that holds one snapshot month — a churn dataset of one row per customer, churners
/// included (IBM Telco and most public sets): there is no next month to label, so the label is "churned in the
/// snapshot" and the split is random, as such datasets are read. The features are the core's (tenure, plan or contract
/// type, monthly charge, payment type) and every other column the source's contract declares, except identifiers,
/// personal and date columns, churn category and reason, and columns marked <c>feature: false</c>: a new dataset needs
/// its contract, not a feature file.
/// </summary>
public static class SnapshotFeatures
{
    /// <summary>Core columns that identify, label or only describe a churner: never features.</summary>
    private static readonly HashSet<string> NotFeatures =
    [
        "subscriber_id", "customer_id", "msisdn", "imsi", "status", "activation_date", "deactivation_date", "account_manager_id",
        "churn_category", "churn_reason", "city_code", "city_name", "district_code", "district_name", "province_code",
        "province_name", "plan_name", "tenure_months",
    ];

    /// <summary>
    /// Which model this warehouse supports: the province's month-ahead model when months are labelled, the snapshot
    /// model when the core holds a single snapshot month, otherwise none (with the reason).
    /// </summary>
    public static (FeatureSpec? Spec, string? Missing) Choose(Db db, ContractCatalog contracts)
    {
        using var c = db.Connect();
        if (!Etl.Loading.Loader.TableExists(c, "dw", "as_of"))
        {
            return (null, "the warehouse has not been built: load the core extract (subscription, or a contract with target: subscription) first");
        }
        var asOf = c.QuerySingle<(DateTime? AsOf, bool? Single)>("select as_of_date, is_single_snapshot from dw.as_of");
        if (asOf.AsOf is null)
        {
            return (null, "needs subscription: not delivered (no subscriber snapshot has been loaded)");
        }
        if (asOf.Single != true)
        {
            return (FeatureSpec.Province, null);
        }
        var spec = For(contracts, c);
        return spec is null
            ? (null, "the snapshot's source has no staged rows")
            : (spec, null);
    }

    private static FeatureSpec? For(ContractCatalog contracts, DuckDB.NET.Data.DuckDBConnection c)
    {
        var sources = CoreSnapshot.Sources(contracts)
            .Where(s => Etl.Loading.Loader.TableExists(c, "stg", s.Extract)
                        && c.ExecuteScalar<long>($"select count(*) from {s.StagingTable}") > 0)
            .ToList();
        if (sources.Count == 0)
        {
            return null;
        }
        var selects = sources.Select(Select);
        var text = $"""
            -- grain: one row per subscriber of the newest snapshot: churned in it (label 1) or not (0)
            {string.Join("\nunion all by name\n", selects)}
            """;
        return new FeatureSpec(FeatureSpec.SnapshotSet, "", "subscriber_id", "label", null, "city_code") { Text = text };
    }

    private static string Select(ExtractContract source)
    {
        var extras = source.Columns
            .Where(col => col.Feature && !col.Personal && !col.IsConstant && !NotFeatures.Contains(col.Name)
                          && !source.Keys.Contains(col.Name)
                          && SqlTypes.Normalise(col.Type) is not ("date" or "timestamp"))
            .Select(col => SqlTypes.Normalise(col.Type) == "varchar"
                ? $"t.{col.Name}"
                : $"cast(t.{col.Name} as double) as {col.Name}");
        var columns = new[]
        {
            "core.subscriber_id",
            "core.city_code",
            "cast(core.status = 'churned' as integer) as label",
            "cast(date_diff('month', core.activation_date, core._business_date) as double) as tenure_months",
        }.Concat(extras);
        return $"""
            select {string.Join(", ", columns.Distinct())}
            from {CoreSnapshot.Relation} as core
            inner join {source.StagingTable} as t
                on t._load_id = core._load_id and t._line = core._line
            where core._business_date = (select max(_business_date) from {source.StagingTable})
            """;
    }
}
