using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Transforms;

/// <summary>
/// One build inside one transaction: decides per model (in run order) whether and how to refresh it from what
/// changed in its inputs, refreshes it, and records what changed in it for the models that read it.
/// </summary>
internal sealed partial class WarehouseBuild(
    DuckDBConnection connection, DuckDBTransaction transaction, TransformCatalog catalog, ContractCatalog contracts,
    SqlFiles sql, BuildRequest request, long duckDbMemoryBytes, CancellationToken stop)
{
    private readonly Dictionary<string, string> _sqlHashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _contractHashes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedContracts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateOnly Date, bool Replaced)>> _touched = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Reader, string Relation), InputChange> _changes = [];
    private readonly List<string> _temporary = [];
    private DateOnly? _oldNewestMonth;
    private int _sequence;

    public long FromLoadId { get; private set; }
    public long ToLoadId { get; private set; }
    public long BuildId { get; private set; }

    /// <summary>Reads the last build's state: fingerprints, watermark, and the staging partitions changed since.</summary>
    public void Prepare()
    {
        BuildId = Scalar<long>("select nextval('meta.build_id_seq')");
        var state = connection.QuerySingle<(long LastLoadId, long NewestLoadId)>(sql.Get("build/build_state.sql"), transaction: transaction);
        (FromLoadId, ToLoadId) = state;
        foreach (var row in connection.Query<(string Model, string SqlHash)>(sql.Get("build/transform_state.sql"), transaction: transaction))
        {
            _sqlHashes[row.Model] = row.SqlHash;
        }
        var stored = connection.Query<(string Extract, string ContractHash)>(sql.Get("build/contract_state.sql"), transaction: transaction)
            .ToDictionary(r => r.Extract, r => r.ContractHash);
        foreach (var extract in catalog.Models.SelectMany(m => m.Inputs).Where(i => i.IsStaging).Select(i => i.StagingExtract).Distinct())
        {
            // the core's fingerprint is that of every contract feeding it: a new target contract rebuilds its readers
            var fed = extract == CoreSnapshot.RelationExtract
                ? CoreSnapshot.Sources(contracts)
                : contracts.Find(extract) is { } contract ? [contract] : [];
            if (fed.Count == 0)
            {
                continue;
            }
            var hash = Fingerprint(fed);
            _contractHashes[extract] = hash;
            if (stored.GetValueOrDefault(extract) != hash)
            {
                _changedContracts.Add(extract);
            }
        }
        var touched = request.Kind == BuildKind.From
            ? connection.Query<(string Extract, DateTime Date, bool Replaced)>(sql.Get("build/touched_from.sql"),
                new { from_month = request.FromMonth!.Value.ToDateTime(TimeOnly.MinValue) }, transaction)
            : connection.Query<(string Extract, DateTime Date, bool Replaced)>(sql.Get("build/touched_since.sql"),
                new { from_load_id = FromLoadId, to_load_id = ToLoadId }, transaction);
        var coreSources = CoreSnapshot.Sources(contracts).Select(c => c.Extract).ToHashSet(StringComparer.Ordinal);
        foreach (var t in touched)
        {
            Touch(t.Extract, DateOnly.FromDateTime(t.Date), t.Replaced);
            if (coreSources.Contains(t.Extract))
            {
                Touch(CoreSnapshot.RelationExtract, DateOnly.FromDateTime(t.Date), t.Replaced);
            }
        }
        _oldNewestMonth = NewestMonth();
    }

    /// <summary>Refreshes one model if it needs it; null when it is unchanged.</summary>
    public TransformResult? Refresh(TransformModel model)
    {
        var clock = Stopwatch.StartNew();
        if (model.Refresh == RefreshKind.View)
        {
            return RefreshView(model, clock);
        }
        var existed = ObjectKind(model) == "BASE TABLE";
        var decision = Decide(model, existed);
        if (decision is null)
        {
            return null;
        }
        var readers = catalog.ReadersOf(model.Name).ToList();
        var needs = PlanCaptures(model, decision, readers, existed);
        long? deleted = null, inserted;
        if (decision.Incremental)
        {
            AliasInputChanges(model);
            var (before, query) = model.Render(incremental: true);
            foreach (var statement in before)
            {
                Execute(statement);
            }
            if (decision.Keys && before.Count > 0)
            {
                // the statements before the query may narrow the keys (an SCD2 merge leaves unchanged histories alone)
                decision = decision with { ScopeCount = Scalar<long>("select count(*) from refresh_key") };
                if (decision.ScopeCount == 0)
                {
                    return null;
                }
            }
            CaptureOld(model, needs, decision);
            deleted = Execute(decision.Keys
                ? $"delete from {model.Name} as t using refresh_key as r where {KeyMatch(model.KeyColumns, "r", "t")}"
                : $"delete from {model.Name} where {model.PartitionColumn} in (select {model.PartitionColumn} from refresh_partition)");
            inserted = Execute($"insert into {model.Name} by name select * from ({query}\n) as model where {Scope(model, decision, "model")}{OrderBy(model)}");
        }
        else
        {
            CaptureOld(model, needs, decision);
            if (ObjectKind(model) == "VIEW")
            {
                Execute($"drop view {model.Name}");
            }
            if (model.PerSlice(duckDbMemoryBytes) is { } perSlice)
            {
                BuildInSlices(model, request.SliceSize ?? perSlice);
            }
            else
            {
                var (_, query) = model.Render(incremental: false);
                Execute($"create or replace table {model.Name} as select * from ({query}\n) as model{OrderBy(model)}");
            }
            if (model.IndexColumn is { } column)
            {
                Execute($"create index {model.Table}_by_{column} on {model.Name} ({column})");
            }
            inserted = Scalar<long>($"select count(*) from {model.Name}");
        }
        RecordChanges(model, decision, needs, existed);
        _sqlHashes[model.Name] = model.Fingerprint;
        SaveState(model);
        return new TransformResult(model.File, model.Name, decision.Incremental ? "incremental" : "full", decision.Reason,
            decision.Cause, decision.ScopeKind, decision.ScopeCount, decision.ScopeDetail, deleted, inserted, clock.Elapsed);
    }

    /// <summary>
    /// A full build of a model declared with <c>-- slices:</c>, one slice at a time through the model's incremental form,
    /// so that no statement holds more than one slice's aggregation in memory. A keyed model: the keys of its first input
    /// cut by a hash into slices of about <paramref name="perSlice"/> keys (<c>refresh_key</c>). A partitioned model: the
    /// partitions of its first input in order, packed into slices of about <paramref name="perSlice"/> of its rows, at
    /// least one partition each (<c>refresh_partition</c>). Same rows as one statement: the incremental form builds any
    /// set of keys or partitions exactly as the full form builds them all (the incremental tests prove that, and
    /// SlicedBuildTests the slices).
    /// </summary>
    private void BuildInSlices(TransformModel model, long perSlice)
    {
        var keyed = model.Refresh == RefreshKind.Key;
        var column = keyed ? model.KeyColumns[0] : model.PartitionColumn!;
        var (before, query) = model.Render(incremental: true);
        var input = model.Inputs[0].Relation;
        // every slice's number: keys by a hash, partitions in order with their rows counted up
        if (keyed)
        {
            Execute($"create or replace temp table refresh_universe as select distinct {column} from {input} where {column} is not null");
            var count = Math.Max(1, (Scalar<long>("select count(*) from refresh_universe") + perSlice - 1) / perSlice);
            Execute($"create or replace temp table refresh_universe as select {column}, hash({column}) % {count} as slice from refresh_universe");
        }
        else
        {
            Execute($"""
                create or replace temp table refresh_universe as
                with partitions as (select {column}, count(*) as n from {input} where {column} is not null group by all)
                select {column}, cast(coalesce(sum(n) over (order by {column} rows between unbounded preceding and 1 preceding), 0) // {perSlice} as bigint) as slice
                from partitions
                """);
        }
        var slices = Query<long>("select distinct cast(slice as bigint) from refresh_universe order by 1").ToList();
        var target = keyed ? "refresh_key" : "refresh_partition";
        var scope = keyed ? "" : $" where model.{column} in (select {column} from refresh_partition)";
        for (var i = 0; i < Math.Max(1, slices.Count); i++)
        {
            var slice = slices.Count == 0 ? 0 : slices[i];
            Execute($"create or replace temp table {target} as select {column} from refresh_universe where slice = {slice}");
            foreach (var statement in before)
            {
                Execute(statement);
            }
            Execute(i == 0
                ? $"create or replace table {model.Name} as select * from ({query}\n) as model{scope}{OrderBy(model)}"
                : $"insert into {model.Name} by name select * from ({query}\n) as model{scope}{OrderBy(model)}");
        }
        Execute($"drop table if exists {target}; drop table if exists refresh_universe");
    }

    /// <summary>Fingerprints of the contracts the transforms read; the build row with its watermark.</summary>
    public void Finish(IReadOnlyList<TransformResult> results, int unchanged, DateTime startedAt, TimeSpan duration)
    {
        foreach (var (extract, hash) in _contractHashes)
        {
            connection.Execute(sql.Get("build/save_contract_state.sql"), new { extract, contract_hash = hash, build_id = BuildId }, transaction);
        }
        if (results.Count == 0 && ToLoadId == FromLoadId && request.Kind == BuildKind.Incremental)
        {
            return;
        }
        connection.Execute(sql.Get("build/save_build.sql"), new
        {
            build_id = BuildId,
            kind = request.Kind.ToString().ToLowerInvariant(),
            from_month = request.FromMonth?.ToDateTime(TimeOnly.MinValue),
            from_load_id = FromLoadId,
            to_load_id = ToLoadId,
            started_at = startedAt,
            models_refreshed = results.Count,
            models_unchanged = unchanged,
            duration_ms = (long)duration.TotalMilliseconds,
        }, transaction);
        foreach (var r in results)
        {
            connection.Execute(sql.Get("build/save_build_model.sql"), new
            {
                build_id = BuildId, model = r.Model, file_name = r.File, mode = r.Mode, reason = r.Reason, cause = r.Cause,
                scope_kind = r.ScopeKind, scope_count = r.ScopeCount, scope_detail = r.ScopeDetail,
                rows_deleted = r.RowsDeleted, rows_inserted = r.RowsInserted, duration_ms = (long)r.Duration.TotalMilliseconds,
            }, transaction);
        }
    }

    public void DropTemporaryTables()
    {
        foreach (var table in _temporary)
        {
            Execute($"drop table if exists {table}");
        }
        Execute("drop table if exists refresh_key; drop table if exists refresh_partition");
    }

    private TransformResult? RefreshView(TransformModel model, Stopwatch clock)
    {
        var kind = ObjectKind(model);
        var reason = kind != "VIEW" ? "first_build"
            : _sqlHashes.GetValueOrDefault(model.Name) != model.Fingerprint ? "sql_changed"
            : request.Kind == BuildKind.Full ? "rebuild"
            : null;
        if (reason is null)
        {
            return null;
        }
        if (kind == "BASE TABLE")
        {
            Execute($"drop table {model.Name}");
        }
        Execute($"create or replace view {model.Name} as {model.Render(incremental: false).Query}");
        _sqlHashes[model.Name] = model.Fingerprint;
        SaveState(model);
        return new TransformResult(model.File, model.Name, "full", reason, null, "all", null, null, null, null, clock.Elapsed);
    }

    private void SaveState(TransformModel model) =>
        connection.Execute(sql.Get("build/save_transform_state.sql"),
            new { model = model.Name, file_name = model.File, sql_hash = model.Fingerprint, build_id = BuildId }, transaction);

    private static string OrderBy(TransformModel model) => model.Order is null ? "" : $" order by {model.Order}";

    private static string KeyMatch(IEnumerable<string> keys, string left, string right) =>
        string.Join(" and ", keys.Select(k => $"{left}.{k} = {right}.{k}"));

    /// <summary>The rows of a refresh: the refreshed partitions or keys, or everything in a full build.</summary>
    private static string Scope(TransformModel model, Decision decision, string alias) =>
        !decision.Incremental ? "true"
        : decision.Keys ? $"exists (select 1 from refresh_key as r where {KeyMatch(model.KeyColumns, "r", alias)})"
        : $"{alias}.{model.PartitionColumn} in (select {model.PartitionColumn} from refresh_partition)";

    private DateOnly? NewestMonth() =>
        TableExists("dw", "as_of") ? Scalar<DateOnly?>("select max(as_of_month) from dw.as_of") : null;

    private string? ObjectKind(TransformModel model) =>
        connection.ExecuteScalar<string?>(
            "select table_type from information_schema.tables where table_schema = $schema and table_name = $table",
            new { schema = model.Schema, table = model.Table }, transaction);

    private bool TableExists(string schema, string table) =>
        connection.ExecuteScalar<long>(
            "select count(*) from information_schema.tables where table_schema = $schema and table_name = $table",
            new { schema, table }, transaction) > 0;

    private bool HasColumn(string relation, string column)
    {
        var (schema, table) = (relation[..relation.IndexOf('.')], relation[(relation.IndexOf('.') + 1)..]);
        return connection.ExecuteScalar<long>(
            "select count(*) from information_schema.columns where table_schema = $schema and table_name = $table and column_name = $column",
            new { schema, table, column }, transaction) > 0;
    }

    private string NewTemporary(string prefix)
    {
        var name = $"{prefix}_{++_sequence}";
        _temporary.Add(name);
        return name;
    }

    // a stop interrupts the statement running (StatementStop); one that comes between two statements (the slices of a
    // model, its index, its bookkeeping) is caught before the next one, where DuckDB would forget the interrupt
    private int Execute(string statement, object? args = null)
    {
        stop.ThrowIfCancellationRequested();
        return connection.Execute(statement, args, transaction, commandTimeout: 0);
    }

    private T Scalar<T>(string statement, object? args = null)
    {
        stop.ThrowIfCancellationRequested();
        return connection.ExecuteScalar<T>(statement, args, transaction, commandTimeout: 0)!;
    }

    private List<T> Query<T>(string statement, object? args = null)
    {
        stop.ThrowIfCancellationRequested();
        return connection.Query<T>(statement, args, transaction, commandTimeout: 0).ToList();
    }

    private static string Dates(IEnumerable<DateOnly> dates) =>
        string.Join(", ", dates.Select(d => "date '" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'"));

    private void Touch(string extract, DateOnly date, bool replaced)
    {
        if (!_touched.TryGetValue(extract, out var dates))
        {
            _touched[extract] = dates = [];
        }
        dates.Add((date, replaced));
    }

    private static string Fingerprint(IReadOnlyList<ExtractContract> fed) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", fed.Select(c => JsonSerializer.Serialize(c)))))).ToLowerInvariant();
}
