using Dapper;

namespace RetentionAnalytics.Core.Transforms;

internal sealed partial class WarehouseBuild
{
    private enum Need
    {
        /// <summary>The reader only asks whether anything changed (full models, all and newest inputs).</summary>
        Any,

        /// <summary>The reader refreshes the months of the changed rows.</summary>
        Months,

        /// <summary>The reader refreshes the keys of the changed rows, in its own key columns.</summary>
        Keys,
    }

    /// <summary>
    /// Rows of the model kept from before its refresh, projected on some columns. A diff capture compares them with the
    /// rows after (only rows whose projection changed count); a plain one adds them to the rows after (every refreshed
    /// row counts: the projection only says which months or keys they belong to).
    /// </summary>
    private sealed class Capture(string projection, bool diff, string oldTable)
    {
        public string Projection { get; } = projection;
        public bool Diff { get; } = diff;
        public string OldTable { get; } = oldTable;
        public string? Changed { get; set; }
    }

    private sealed record ReaderNeed(TransformModel Reader, TransformInput Input, Need Kind, string? MonthColumn, Capture? Capture);

    private List<ReaderNeed> PlanCaptures(TransformModel model, Decision decision, List<(TransformModel Model, TransformInput Input)> readers, bool existed)
    {
        var captures = new Dictionary<(string, bool), Capture>();
        var needs = new List<ReaderNeed>();
        foreach (var (reader, input) in readers)
        {
            var kind = reader.Refresh == RefreshKind.Partition && input.Mapping is InputMapping.Default or InputMapping.From or InputMapping.Window
                ? Need.Months
                : reader.Refresh == RefreshKind.Key && input.Mapping == InputMapping.Default ? Need.Keys : Need.Any;
            var monthColumn = model.Refresh == RefreshKind.Partition ? model.PartitionColumn : model.MonthColumn;
            var derivation = kind switch
            {
                Need.Months when monthColumn is not null => [monthColumn],
                Need.Keys => reader.KeyColumns,
                _ => (IReadOnlyList<string>)[],
            };
            // declared columns narrow what counts as a change: a full rebuild of a large model is compared on them
            var compare = input.Columns.Count > 0 ? input.Columns : model.Refresh == RefreshKind.Full ? ["*"] : null;
            Capture? capture = null;
            if (existed)
            {
                if (compare is not null)
                {
                    // a reader of month-end states pairs old and new rows by their identity (see EarliestChanges)
                    var identity = input.Mapping == InputMapping.From ? model.UniqueColumns : [];
                    var projection = compare.Contains("*") ? "*" : string.Join(", ", compare.Concat(derivation).Concat(identity).Distinct());
                    capture = Get(projection, diff: true);
                }
                else if (decision.Incremental && derivation.Count > 0 && !(kind == Need.Months && model.Refresh == RefreshKind.Partition))
                {
                    capture = Get(string.Join(", ", derivation), diff: false);
                }
            }
            needs.Add(new ReaderNeed(reader, input, kind, monthColumn, capture));
        }
        return needs;

        Capture Get(string projection, bool diff) =>
            captures.TryGetValue((projection, diff), out var c) ? c : captures[(projection, diff)] = new Capture(projection, diff, NewTemporary("old_rows"));
    }

    private void CaptureOld(TransformModel model, List<ReaderNeed> needs, Decision decision)
    {
        foreach (var capture in needs.Select(n => n.Capture).OfType<Capture>().Distinct())
        {
            Execute($"create or replace temp table {capture.OldTable} as select distinct {capture.Projection} from {model.Name} as t where {Scope(model, decision, "t")}");
        }
    }

    /// <summary>After the refresh: what each reader of the model sees as changed.</summary>
    private void RecordChanges(TransformModel model, Decision decision, List<ReaderNeed> needs, bool existed)
    {
        foreach (var need in needs)
        {
            _changes[(need.Reader.Name, model.Name)] = !existed ? InputChange.Everything : ChangeFor(model, decision, need);
        }
    }

    private InputChange ChangeFor(TransformModel model, Decision decision, ReaderNeed need)
    {
        if (need.Capture is { } capture)
        {
            var rows = Changed(model, decision, capture);
            if (capture.Diff && Scalar<long>($"select count(*) from {rows}") == 0)
            {
                return InputChange.None;
            }
            return need.Kind switch
            {
                Need.Months when need.MonthColumn is null => InputChange.Everything,
                Need.Months when capture.Diff && need.Input.Mapping == InputMapping.From && model.UniqueColumns.Count > 0 =>
                    new InputChange { Any = true, Months = EarliestChanges(model, rows, capture.Projection), Rows = rows },
                Need.Months => new InputChange { Any = true, Months = MonthsOf(rows, need.MonthColumn), Rows = rows },
                _ => new InputChange { Any = true, Rows = rows },
            };
        }
        if (!decision.Incremental)
        {
            return InputChange.Everything;
        }
        return need.Kind switch
        {
            Need.Months when model.Refresh == RefreshKind.Partition => new InputChange
            {
                Any = true,
                Months = decision.Partitions!.Select(p => new DateOnly(p.Year, p.Month, 1)).ToHashSet(),
            },
            Need.Any => new InputChange { Any = true },
            _ => InputChange.Everything,
        };
    }

    /// <summary>The changed rows of a capture, computed once for all readers that share it.</summary>
    private string Changed(TransformModel model, Decision decision, Capture capture)
    {
        if (capture.Changed is { } done)
        {
            return done;
        }
        var table = NewTemporary("changed_rows");
        var current = $"select distinct {capture.Projection} from {model.Name} as t where {Scope(model, decision, "t")}";
        Execute(capture.Diff
            ? $"""
              create or replace temp table {table} as
              select *, 'old' as _change from (select * from {capture.OldTable} except {current})
              union all
              select *, 'new' as _change from ({current} except select * from {capture.OldTable})
              """
            : $"create or replace temp table {table} as select * from {capture.OldTable} union {current}");
        Execute($"drop table {capture.OldTable}");
        _temporary.Remove(capture.OldTable);
        return capture.Changed = table;
    }

    /// <summary>
    /// For readers of the state at each month end ("from"): the first month each changed row changes that state in.
    /// A row's old and new versions are paired by identity; where a date column changed, the state differs from the
    /// earlier of its two values on (an open complaint closed today: from today, not from the day it was opened); a row
    /// that came or went changes it from its earliest date.
    /// </summary>
    private HashSet<DateOnly> EarliestChanges(TransformModel model, string rows, string projection)
    {
        var columns = projection == "*" ? null : projection.Split(", ").ToHashSet();
        var dates = Query<string>("""
            select column_name from information_schema.columns
            where table_schema = $schema and table_name = $table and (data_type = 'DATE' or data_type like 'TIMESTAMP%')
            """, new { schema = model.Schema, table = model.Table })
            .Where(c => columns is null || columns.Contains(c))
            .ToList();
        if (dates.Count == 0)
        {
            return MonthsOf(rows, model.MonthColumn ?? model.PartitionColumn!);
        }
        var identity = string.Join(" and ", model.UniqueColumns.Select(k => $"old.{k} is not distinct from new.{k}"));
        var present = $"new.{model.UniqueColumns[0]} is not null and old.{model.UniqueColumns[0]} is not null";
        var changedAt = dates.Select(d =>
            $"case when not ({present}) then least(old.{d}, new.{d}) when old.{d} is distinct from new.{d} then least(old.{d}, new.{d}) end");
        var earliest = dates.Select(d => $"least(old.{d}, new.{d})");
        return Query<DateTime>($"""
            with old as (select * from {rows} where _change = 'old'), new as (select * from {rows} where _change = 'new'),
            paired as (
                select coalesce(least({string.Join(", ", changedAt)}), least({string.Join(", ", earliest)})) as changed_at
                from old full outer join new on {identity}
            )
            select distinct cast(date_trunc('month', changed_at) as date) from paired where changed_at is not null
            """).Select(DateOnly.FromDateTime).ToHashSet();
    }

    private HashSet<DateOnly> MonthsOf(string rows, string column) =>
        connection.Query<DateTime>($"select distinct cast(date_trunc('month', {column}) as date) from {rows} where {column} is not null",
                transaction: transaction)
            .Select(DateOnly.FromDateTime).ToHashSet();
}
