using Dapper;

namespace RetentionAnalytics.Core.Transforms;

internal sealed partial class WarehouseBuild
{
    /// <param name="Keys">Refreshed by the keys in refresh_key, else by the partitions in refresh_partition.</param>
    private sealed record Decision(
        bool Incremental, bool Keys, string Reason, string? Cause, string ScopeKind, long? ScopeCount, string? ScopeDetail,
        IReadOnlySet<DateOnly>? Partitions = null)
    {
        public static Decision Full(string reason, string? cause = null) => new(false, false, reason, cause, "all", null, null);
    }

    /// <summary>Escalate to a full rebuild when an incremental one would rewrite this much of the table anyway.</summary>
    private const double PartitionShareForFull = 0.5, KeyShareForFull = 0.3;

    private const long KeysWorthCounting = 10_000, PartitionsWorthCounting = 4;

    private Decision? Decide(TransformModel model, bool existed)
    {
        if (request.Kind == BuildKind.Full)
        {
            return Decision.Full("rebuild");
        }
        if (!existed || !_sqlHashes.TryGetValue(model.Name, out var hash))
        {
            return Decision.Full("first_build");
        }
        if (hash != model.Fingerprint)
        {
            return Decision.Full("sql_changed");
        }
        if (model.Inputs.FirstOrDefault(i => i.IsStaging && _changedContracts.Contains(i.StagingExtract)) is { } changedContract)
        {
            return Decision.Full("contract_changed", changedContract.StagingExtract);
        }

        var changed = model.Inputs
            .Select(i => (Input: i, Change: i.IsStaging ? StagingChange(i) : _changes.GetValueOrDefault((model.Name, i.Relation), InputChange.None)))
            .Where(c => c.Change.Any)
            .ToList();
        if (changed.Count == 0)
        {
            return null;
        }
        var cause = string.Join("; ", changed.Select(c => c.Change.Describe(c.Input.Relation)));
        if (model.Refresh == RefreshKind.Full)
        {
            return Decision.Full("input", cause);
        }
        if (changed.FirstOrDefault(c => c.Input.Mapping == InputMapping.All || (c.Change.All && c.Input.Mapping != InputMapping.Newest)) is { Input: not null } whole)
        {
            return Decision.Full("input", whole.Change.Describe(whole.Input.Relation));
        }
        return model.Refresh == RefreshKind.Partition ? DecidePartitions(model, changed, cause) : DecideKeys(model, changed, cause);
    }

    private InputChange StagingChange(TransformInput input) =>
        _touched.TryGetValue(input.StagingExtract, out var dates)
            ? new InputChange
            {
                Any = true,
                BusinessDates = dates.Select(d => d.Date).ToList(),
                Months = dates.Select(d => new DateOnly(d.Date.Year, d.Date.Month, 1)).ToHashSet(),
            }
            : InputChange.None;

    private Decision? DecidePartitions(TransformModel model, List<(TransformInput Input, InputChange Change)> changed, string cause)
    {
        var column = model.PartitionColumn!;
        var values = new HashSet<DateOnly>();
        var causes = new List<string>();
        foreach (var (input, change) in changed)
        {
            var mapped = PartitionValues(model, input, change);
            if (mapped is null)
            {
                return Decision.Full("input", change.Describe(input.Relation));
            }
            if (mapped.Count > 0)
            {
                causes.Add(change.Describe(input.Relation));
            }
            values.UnionWith(mapped);
        }
        if (values.Count == 0)
        {
            return null;
        }
        cause = string.Join("; ", causes);
        var existing = Scalar<long>($"select count(distinct {column}) from {model.Name}");
        if (existing >= PartitionsWorthCounting && values.Count > PartitionShareForFull * existing)
        {
            return Decision.Full("escalated", $"{cause} ({values.Count} of {existing} partitions)");
        }
        Execute($"create or replace temp table refresh_partition ({column} date)");
        Execute($"insert into refresh_partition values {string.Join(", ", values.Order().Select(v => $"({Dates([v])})"))}");
        var monthly = values.All(v => v.Day == 1);
        return new Decision(true, false, "input", cause, monthly ? "months" : "dates", values.Count,
            monthly ? Summary.Months(values) : Summary.Dates(values), values);
    }

    /// <summary>The partitions an input's change touches, or null when only a full rebuild can follow it.</summary>
    private IReadOnlySet<DateOnly>? PartitionValues(TransformModel model, TransformInput input, InputChange change)
    {
        if (input.Mapping == InputMapping.Newest)
        {
            return new[] { _oldNewestMonth, NewestMonth() }.OfType<DateOnly>().ToHashSet();
        }
        if (input.Mapping == InputMapping.Rows)
        {
            var column = model.PartitionColumn!;
            var dates = Dates(change.BusinessDates!);
            var old = HasColumn(model.Name, "delivered_for")
                ? $" union select distinct {column} from {model.Name} where delivered_for in ({dates})"
                : "";
            return Query<DateTime>($"select distinct {column} from {input.Relation} where _business_date in ({dates}) and {column} is not null{old}")
                .Select(DateOnly.FromDateTime).ToHashSet();
        }
        if (change.Months is not { } months)
        {
            return null;
        }
        // a month partition never lies after the newest loaded month (events of the days after it wait for its snapshot)
        var (earliest, horizon) = PartitionBounds(model);
        if (horizon is null)
        {
            return months;
        }
        if (input.Mapping == InputMapping.Default)
        {
            return months.Where(m => m <= horizon).ToHashSet();
        }
        var result = new HashSet<DateOnly>();
        var steps = input.Mapping == InputMapping.From
            ? [(months.Min(), horizon.Value)]
            : months.Select(m => (m.AddMonths(input.WindowFrom), m.AddMonths(input.WindowTo)));
        foreach (var (from, to) in steps)
        {
            for (var m = earliest is { } e && from < e ? e : from; m <= to && m <= horizon; m = m.AddMonths(1))
            {
                result.Add(m);
            }
        }
        return result;
    }

    /// <summary>No month partition lies before the first loaded month or after the newest one (or the table's own).</summary>
    private (DateOnly? Earliest, DateOnly? Horizon) PartitionBounds(TransformModel model)
    {
        var column = model.PartitionColumn!;
        var own = connection.QuerySingle<(DateTime? Min, DateTime? Max)>($"select min({column}), max({column}) from {model.Name}", transaction: transaction);
        var asOf = TableExists("dw", "as_of")
            ? connection.QuerySingleOrDefault<(DateTime? First, DateTime? Newest)>("select min(first_month), max(as_of_month) from dw.as_of", transaction: transaction)
            : default;
        DateOnly? Earliest(params DateTime?[] dates) => dates.OfType<DateTime>().Select(DateOnly.FromDateTime).Cast<DateOnly?>().Min();
        DateOnly? Latest(params DateTime?[] dates) => dates.OfType<DateTime>().Select(DateOnly.FromDateTime).Cast<DateOnly?>().Max();
        return (Earliest(own.Min, asOf.First), Latest(own.Max, asOf.Newest));
    }

    private Decision? DecideKeys(TransformModel model, List<(TransformInput Input, InputChange Change)> changed, string cause)
    {
        var keys = string.Join(", ", model.KeyColumns);
        var parts = new List<string>();
        foreach (var (input, change) in changed)
        {
            var part = KeySelect(model, input, change);
            if (part is null)
            {
                return Decision.Full("input", change.Describe(input.Relation));
            }
            parts.Add(part);
        }
        var notNull = string.Join(" and ", model.KeyColumns.Select(k => $"{k} is not null"));
        Execute($"create or replace temp table refresh_key as select distinct {keys} from ({string.Join("\nunion all\n", parts)}) where {notNull}");
        var count = Scalar<long>("select count(*) from refresh_key");
        if (count == 0)
        {
            return null;
        }
        if (count >= KeysWorthCounting)
        {
            var existing = Scalar<long>($"select count(distinct {model.KeyColumns[0]}) from {model.Name}");
            if (count >= KeyShareForFull * existing)
            {
                return Decision.Full("escalated", $"{cause} ({count:N0} of {existing:N0} keys)");
            }
        }
        return new Decision(true, true, "input", cause, "keys", count, null);
    }

    /// <summary>A select of the key values an input's change touches, or null when only a full rebuild can follow it.</summary>
    private string? KeySelect(TransformModel model, TransformInput input, InputChange change)
    {
        var keys = string.Join(", ", model.KeyColumns);
        if (input.IsStaging)
        {
            var dates = Dates(change.BusinessDates!);
            var delivered = $"select {keys} from {input.Relation} where _business_date in ({dates})";
            // the rows a re-delivery replaced are gone from staging: the model's own rows say which keys they fed
            if (HasColumn(model.Name, "delivered_for"))
            {
                return $"{delivered}\nunion all\nselect {keys} from {model.Name} where delivered_for in ({dates})";
            }
            return _touched[input.StagingExtract].Any(d => d.Replaced) ? null : delivered;
        }
        return change.Rows is { } rows ? $"select {keys} from {rows}" : null;
    }

    /// <summary>The narrowing statements of a model (the SCD2 merge) read the changed rows of its inputs by name.</summary>
    private void AliasInputChanges(TransformModel model)
    {
        foreach (var input in model.Inputs.Where(i => !i.IsStaging))
        {
            if (_changes.GetValueOrDefault((model.Name, input.Relation))?.Rows is { } rows)
            {
                Execute($"create or replace temp view changes_{input.Relation.Replace('.', '_')} as select * from {rows}");
            }
        }
    }
}
