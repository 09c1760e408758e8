using System.Data.Common;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Model;

/// <summary>One entity (and period) as read from a feature spec; a missing numeric value is NaN.</summary>
public sealed record RawRow(string Id, DateOnly? Period, string? City, bool? Label, double[] Numeric, string?[] Categorical);

/// <summary>The rows of a feature spec with their column names; text columns are categorical, the others numeric.</summary>
public sealed class FeatureTable(IReadOnlyList<string> numericColumns, IReadOnlyList<string> categoricalColumns, List<RawRow> rows)
{
    public IReadOnlyList<string> NumericColumns { get; } = numericColumns;
    public IReadOnlyList<string> CategoricalColumns { get; } = categoricalColumns;
    public List<RawRow> Rows { get; } = rows;

    /// <summary>
    /// Reads the spec's rows, optionally only periods in [from, to], only labelled rows, and only a seeded share of the
    /// entities (every period of a sampled entity, so that a time split stays a time split).
    /// </summary>
    public static FeatureTable Read(Db db, FeatureSpec spec, DateOnly? from = null, DateOnly? to = null, bool labelledOnly = false,
        double sampleShare = 1, int sampleSeed = 0) =>
        Batches(db, spec, from, to, labelledOnly, int.MaxValue, sampleShare, sampleSeed).FirstOrDefault()
        ?? new FeatureTable([], [], []);

    /// <summary>
    /// The same rows in batches of at most <paramref name="batchSize"/>, read from one query as they are consumed: a
    /// month of millions of subscribers is scored without holding it all in memory.
    /// </summary>
    public static IEnumerable<FeatureTable> Batches(Db db, FeatureSpec spec, DateOnly? from, DateOnly? to, bool labelledOnly,
        int batchSize, double sampleShare = 1, int sampleSeed = 0)
    {
        using var connection = db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = FilteredSql(db, spec, labelledOnly, sampled: sampleShare < 1);
        command.CommandTimeout = 0;
        Bind(command, spec, from, to, sampleShare, sampleSeed);
        using var reader = command.ExecuteReader();
        var layout = Layout.Of(reader, spec);
        var rows = new List<RawRow>();
        var any = false;
        while (reader.Read())
        {
            rows.Add(layout.ReadRow(reader));
            if (rows.Count >= batchSize)
            {
                any = true;
                yield return new FeatureTable(layout.NumericNames, layout.CategoricalNames, rows);
                rows = [];
            }
        }
        if (rows.Count > 0 || !any)
        {
            yield return new FeatureTable(layout.NumericNames, layout.CategoricalNames, rows);
        }
    }

    /// <summary>How many rows <see cref="Read"/> would return without sampling: counted in the database, nothing read.</summary>
    public static long Count(Db db, FeatureSpec spec, DateOnly? from, DateOnly? to, bool labelledOnly)
    {
        using var connection = db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"select count(*) from ({FilteredSql(db, spec, labelledOnly)})";
        command.CommandTimeout = 0;
        Bind(command, spec, from, to, 1, 0);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Bind(DuckDBCommand command, FeatureSpec spec, DateOnly? from, DateOnly? to, double sampleShare, int sampleSeed)
    {
        if (spec.PeriodColumn is not null)
        {
            command.Parameters.Add(new DuckDBParameter("from", (object?)from ?? DBNull.Value));
            command.Parameters.Add(new DuckDBParameter("to", (object?)to ?? DBNull.Value));
        }
        if (sampleShare < 1)
        {
            command.Parameters.Add(new DuckDBParameter("sample_per_million", (long)Math.Ceiling(sampleShare * 1_000_000)));
            command.Parameters.Add(new DuckDBParameter("sample_seed", sampleSeed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// The spec's SQL wrapped in the period, label and sample filters. The wrapped text comes from the spec's file and
    /// its column names (code, never user input); the filter values are bound.
    /// </summary>
    internal static string FilteredSql(Db db, FeatureSpec spec, bool labelledOnly, bool sampled = false)
    {
        var conditions = new List<string>();
        if (sampled)
        {
            // a stable hash of id and seed: the same entities on every run, whatever the order rows arrive in
            conditions.Add($"hash(cast({spec.IdColumn} as varchar) || ':' || $sample_seed) % 1000000 < $sample_per_million");
        }
        if (spec.PeriodColumn is not null)
        {
            conditions.Add($"($from::date is null or {spec.PeriodColumn} >= $from::date)");
            conditions.Add($"($to::date is null or {spec.PeriodColumn} <= $to::date)");
        }
        if (labelledOnly)
        {
            conditions.Add($"{spec.LabelColumn} is not null");
        }
        var where = conditions.Count == 0 ? "" : " where " + string.Join(" and ", conditions);
        return $"select * from ({(spec.Text ?? db.Sql.Get(spec.SqlFile)).TrimEnd().TrimEnd(';')}\n) as features{where}";
    }

    private sealed class Layout
    {
        private int _id, _label, _period = -1, _city = -1;
        private readonly List<int> _numeric = [];
        private readonly List<int> _categorical = [];
        public List<string> NumericNames { get; } = [];
        public List<string> CategoricalNames { get; } = [];

        public static Layout Of(DbDataReader reader, FeatureSpec spec)
        {
            var layout = new Layout { _id = -1, _label = -1 };
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (name == spec.IdColumn) { layout._id = i; }
                else if (name == spec.LabelColumn) { layout._label = i; }
                else if (name == spec.PeriodColumn) { layout._period = i; }
                else if (name == spec.CityColumn) { layout._city = i; }
                else if (reader.GetFieldType(i) == typeof(string))
                {
                    layout._categorical.Add(i);
                    layout.CategoricalNames.Add(name);
                }
                else
                {
                    layout._numeric.Add(i);
                    layout.NumericNames.Add(name);
                }
            }
            if (layout._id < 0 || layout._label < 0)
            {
                throw new InvalidOperationException($"feature set {spec.FeatureSet}: {spec.SqlFile} must return {spec.IdColumn} and {spec.LabelColumn}");
            }
            return layout;
        }

        public RawRow ReadRow(DbDataReader reader)
        {
            var numeric = new double[_numeric.Count];
            for (var j = 0; j < numeric.Length; j++)
            {
                var i = _numeric[j];
                numeric[j] = reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            var categorical = new string?[_categorical.Count];
            for (var j = 0; j < categorical.Length; j++)
            {
                var i = _categorical[j];
                categorical[j] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }
            bool? label = reader.IsDBNull(_label) ? null : Convert.ToDouble(reader.GetValue(_label), System.Globalization.CultureInfo.InvariantCulture) > 0;
            DateOnly? period = _period < 0 || reader.IsDBNull(_period) ? null : reader.GetFieldValue<DateOnly>(_period);
            var city = _city < 0 || reader.IsDBNull(_city) ? null : reader.GetString(_city);
            return new RawRow(Convert.ToString(reader.GetValue(_id), System.Globalization.CultureInfo.InvariantCulture)!, period, city, label, numeric, categorical);
        }
    }
}
