namespace RetentionAnalytics.Core.Etl.Contracts;

/// <summary>A column of the core snapshot: its name and type in <see cref="CoreSnapshot.Relation"/>.</summary>
public sealed record CoreColumn(string Name, string Type);

/// <summary>
/// The minimal core every headline report, the cubes and the churn model rest on: one snapshot row per subscriber (or
/// customer) and business date with its status, region, plan or contract type, tenure and monthly charge
/// (docs/warehouse.md, "The core"). The province's <c>subscription</c> extract is one source of it; any contract with
/// <c>target: subscription</c> is another — a one-row-per-customer churn dataset maps onto it with that contract alone.
/// The transforms read the union, <see cref="Relation"/>, which the build recreates as a view before it runs.
/// </summary>
public static class CoreSnapshot
{
    /// <summary>The province's own core extract, and the only value <c>target:</c> takes.</summary>
    public const string Extract = "subscription";

    /// <summary>The staging name the transforms read; its changes are those of every core source.</summary>
    public const string Relation = "stg.core_subscription";

    public const string RelationExtract = "core_subscription";

    /// <summary>What a target contract must declare: without them a row is not a subscriber snapshot.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = ["subscriber_id", "status"];

    public static readonly IReadOnlyList<string> Statuses = ["active", "suspended", "churned"];

    /// <summary>The core's columns; a source that lacks one gives null, or the fallback of <see cref="Select"/>.</summary>
    public static readonly IReadOnlyList<CoreColumn> Columns =
    [
        new("subscriber_id", "varchar"),
        new("customer_id", "varchar"),
        new("msisdn", "varchar"),
        new("imsi", "varchar"),
        new("plan_code", "varchar"),
        new("payment_type", "varchar"),
        new("status", "varchar"),
        new("activation_date", "date"),
        new("deactivation_date", "date"),
        new("city_code", "varchar"),
        new("district_code", "varchar"),
        new("channel_code", "varchar"),
        new("value_tier", "varchar"),
        new("star_level", "integer"),
        new("account_manager_id", "varchar"),
        // a churn snapshot's own vocabulary: names beside the codes, tenure instead of a date, the charge without bills
        new("tenure_months", "integer"),
        new("plan_name", "varchar"),
        new("province_code", "varchar"),
        new("province_name", "varchar"),
        new("city_name", "varchar"),
        new("district_name", "varchar"),
        new("monthly_charge", "decimal(12,2)"),
        new("churn_category", "varchar"),
        new("churn_reason", "varchar"),
    ];

    public static bool IsCoreColumn(string name) => Columns.Any(c => c.Name == name);

    /// <summary>The contracts whose staging tables make up the core: the province's extract and every target of it.</summary>
    public static IReadOnlyList<ExtractContract> Sources(ContractCatalog contracts) =>
        contracts.All.Where(c => c.Extract == Extract || c.Target == Extract).OrderBy(c => c.Extract, StringComparer.Ordinal).ToList();

    /// <summary>The view over every source, with each source's columns cast to the core's types.</summary>
    public static string ViewSql(ContractCatalog contracts)
    {
        var sources = Sources(contracts);
        var selects = sources.Count == 0
            ? [$"select {string.Join(", ", Columns.Select(c => $"cast(null as {c.Type}) as {c.Name}"))}, " +
               "cast(null as bigint) as _load_id, cast(null as date) as _business_date, cast(null as bigint) as _line, " +
               "cast(null as varchar) as _source where false"]
            : sources.Select(Select);
        return $"create or replace view {Relation} as\n{string.Join("\nunion all\n", selects)}";
    }

    private static string Select(ExtractContract source)
    {
        bool Has(string name) => source.Column(name) is not null;
        string Value(CoreColumn column) => column.Name switch
        {
            _ when Has(column.Name) && column.Name is "customer_id" => "coalesce(customer_id, subscriber_id)",
            _ when Has(column.Name) => column.Name,
            "customer_id" => "subscriber_id",
            // a snapshot that gives tenure instead of a date: activated that many months before its business date
            "activation_date" when Has("tenure_months") => "_business_date - to_months(tenure_months)",
            // a dataset without geography is one region of its own, named so that a reader sees why
            "city_code" when Has("city_name") => "city_name",
            "city_code" => "'unknown'",
            "plan_code" when Has("plan_name") => "plan_name",
            "plan_code" => "'unknown'",
            _ => "null",
        };
        var columns = Columns.Select(c => $"cast({Value(c)} as {c.Type}) as {c.Name}");
        // _source: each source's month end is its own newest delivery of the month (sources need not share a day)
        return $"select {string.Join(", ", columns)}, _load_id, _business_date, _line, '{source.Extract}' as _source from {source.StagingTable}";
    }
}
