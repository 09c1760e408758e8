using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Definitions;

/// <summary>An input a consumer needs and the warehouse lacks: an extract never delivered, or a table not built.</summary>
public sealed record MissingInput(string Name, string Reason)
{
    public override string ToString() => $"needs {Name}: {Reason}";
}

/// <summary>
/// A report, cube, scenario or the model asked for data the warehouse does not hold. The message names what is
/// missing ("needs bill: not delivered"); the portal shows it in the reader's language from <see cref="Missing"/>.
/// </summary>
public sealed class DataNotDeliveredException(string consumer, IReadOnlyList<MissingInput> missing)
    : InvalidOperationException($"{consumer} {string.Join("; ", missing)}")
{
    public string Consumer { get; } = consumer;
    public IReadOnlyList<MissingInput> Missing { get; } = missing;
}

/// <summary>
/// The one check of what a consumer declares in <c>requires:</c> — extract names (<c>bill</c>, <c>usage_month</c>) or
/// tables (<c>dw.fct_bill</c>, <c>det.churn_score</c>) — against what the warehouse holds. An extract is there when
/// its staging table has rows (the core, <c>subscription</c>, when any of its sources has); a table when it exists and
/// has rows. Every consumer needs the core: a warehouse without subscriber snapshots can run nothing that reads them.
/// </summary>
public sealed class DataRequirements(Db db, ContractCatalog contracts)
{
    public const string NotDelivered = "not delivered";
    public const string NotBuilt = "not built yet";
    public const string Empty = "no rows yet";

    /// <summary>What of <paramref name="requires"/> (and the core) the warehouse lacks; empty when everything is there.</summary>
    public IReadOnlyList<MissingInput> Missing(IEnumerable<string>? requires)
    {
        using var c = db.Connect();
        var missing = new List<MissingInput>();
        foreach (var name in new[] { CoreSnapshot.Extract }.Concat(requires ?? []).Distinct(StringComparer.Ordinal))
        {
            if (Check(c, name) is { } reason)
            {
                missing.Add(new MissingInput(name, reason));
            }
        }
        return missing;
    }

    /// <summary>Throws <see cref="DataNotDeliveredException"/> naming <paramref name="consumer"/> when anything is missing.</summary>
    public void Require(string consumer, IEnumerable<string>? requires)
    {
        if (Missing(requires) is { Count: > 0 } missing)
        {
            throw new DataNotDeliveredException(consumer, missing);
        }
    }

    /// <summary>
    /// What a build could use: the core's sources that hold rows, and every other contract's extract that was never
    /// delivered (its models build empty, and what needs it says so).
    /// </summary>
    public (IReadOnlyList<string> CoreSources, IReadOnlyList<string> NotDelivered) Coverage()
    {
        using var c = db.Connect();
        bool Delivered(ExtractContract x) => Etl.Loading.Loader.TableExists(c, "stg", x.Extract) && HasRows(c, x.StagingTable);
        var core = CoreSnapshot.Sources(contracts);
        var coreNames = core.Select(x => x.Extract).ToHashSet(StringComparer.Ordinal);
        return (core.Where(Delivered).Select(x => x.Extract).ToList(),
            contracts.All.Where(x => !coreNames.Contains(x.Extract) && !Delivered(x)).Select(x => x.Extract).Order(StringComparer.Ordinal).ToList());
    }

    private string? Check(DuckDBConnection c, string name)
    {
        // names are interpolated as identifiers below: anything but a plain or schema-qualified name is refused
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^(stg|dw|mart|det|ops)\.[a-z][a-z0-9_]*$|^[a-z][a-z0-9_]*$"))
        {
            return "not an extract or table name";
        }
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var (schema, table) = (name[..dot], name[(dot + 1)..]);
            if (!Etl.Loading.Loader.TableExists(c, schema, table))
            {
                return NotBuilt;
            }
            return HasRows(c, name) ? null : Empty;
        }
        if (name == CoreSnapshot.Extract)
        {
            // the core is there when any of its sources was delivered and the warehouse was built from it
            var delivered = CoreSnapshot.Sources(contracts).Any(s => Etl.Loading.Loader.TableExists(c, "stg", s.Extract) && HasRows(c, s.StagingTable));
            if (!delivered)
            {
                return NotDelivered;
            }
            return Etl.Loading.Loader.TableExists(c, "dw", "fct_subscriber_month") && HasRows(c, "dw.fct_subscriber_month") ? null : NotBuilt;
        }
        return Etl.Loading.Loader.TableExists(c, "stg", name) && HasRows(c, $"stg.{name}") ? null : NotDelivered;
    }

    // the name comes from a definition file the catalogue validated (identifiers only), never from a request
    private static bool HasRows(DuckDBConnection c, string relation) =>
        c.ExecuteScalar<bool>($"select exists (select 1 from {relation})");
}
