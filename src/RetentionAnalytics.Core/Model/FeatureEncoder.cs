using System.Globalization;
using System.Text.Json;

namespace RetentionAnalytics.Core.Model;

/// <summary>
/// Turns raw rows into the model's float vector, fixed at training time and stored with the model so that scoring
/// encodes exactly as training did: a missing number becomes the training median (plus a "missing" indicator when
/// training saw missing values, because missing often means something -- no contract, no balance); a text column
/// becomes one indicator per category seen often enough in training (rarer and unseen values are all zeros).
/// </summary>
public sealed class FeatureEncoder
{
    public required List<NumericFeature> Numeric { get; init; }
    public required List<CategoricalFeature> Categorical { get; init; }

    public sealed record NumericFeature(string Column, double Median, bool MissingIndicator);
    public sealed record CategoricalFeature(string Column, List<string> Categories);

    /// <summary>The readable name of every slot of the vector, in order.</summary>
    public IReadOnlyList<string> FeatureNames =>
    [
        .. Numeric.SelectMany(n => n.MissingIndicator ? new[] { n.Column, n.Column + " missing" } : [n.Column]),
        .. Categorical.SelectMany(c => c.Categories.Select(v => $"{c.Column}={v}")),
    ];

    public int Length => Numeric.Sum(n => n.MissingIndicator ? 2 : 1) + Categorical.Sum(c => c.Categories.Count);

    public static FeatureEncoder Fit(FeatureTable table, IReadOnlyList<RawRow> training)
    {
        var minCount = Math.Max(5, training.Count / 200);
        return new FeatureEncoder
        {
            Numeric = table.NumericColumns.Select((column, j) =>
            {
                var present = training.Select(r => r.Numeric[j]).Where(v => !double.IsNaN(v)).Order().ToList();
                var median = present.Count == 0 ? 0 : present[present.Count / 2];
                return new NumericFeature(column, median, present.Count < training.Count);
            }).ToList(),
            Categorical = table.CategoricalColumns.Select((column, j) => new CategoricalFeature(column,
                training.Select(r => r.Categorical[j]).OfType<string>()
                    .GroupBy(v => v, StringComparer.Ordinal)
                    .Where(g => g.Count() >= minCount)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Take(30)
                    .Select(g => g.Key).ToList())).ToList(),
        };
    }

    /// <summary>An encoding function for rows of <paramref name="table"/> (columns matched by name).</summary>
    public Func<RawRow, float[]> For(FeatureTable table)
    {
        var numericIndex = Numeric.Select(n => IndexOf(table.NumericColumns, n.Column)).ToArray();
        var categoricalIndex = Categorical.Select(c => IndexOf(table.CategoricalColumns, c.Column)).ToArray();
        var lookups = Categorical.Select(c => c.Categories.Select((v, k) => (v, k)).ToDictionary(p => p.v, p => p.k, StringComparer.Ordinal)).ToArray();
        var length = Length;
        return row =>
        {
            var vector = new float[length];
            var at = 0;
            for (var j = 0; j < Numeric.Count; j++)
            {
                var value = row.Numeric[numericIndex[j]];
                var missing = double.IsNaN(value);
                vector[at++] = (float)(missing ? Numeric[j].Median : value);
                if (Numeric[j].MissingIndicator)
                {
                    vector[at++] = missing ? 1 : 0;
                }
            }
            for (var j = 0; j < Categorical.Count; j++)
            {
                var value = row.Categorical[categoricalIndex[j]];
                if (value is not null && lookups[j].TryGetValue(value, out var k))
                {
                    vector[at + k] = 1;
                }
                at += Categorical[j].Categories.Count;
            }
            return vector;
        };
    }

    /// <summary>Describes the raw value behind a feature slot, readable ("days_suspended 45", "value_tier=low").</summary>
    public Func<int, RawRow, string> DescriberFor(FeatureTable table)
    {
        var names = FeatureNames;
        // slot -> column of the table for numeric slots (value and missing indicator alike), -1 for categories
        var numericColumnOfSlot = Enumerable.Repeat(-1, Length).ToArray();
        var at = 0;
        foreach (var n in Numeric)
        {
            var column = IndexOf(table.NumericColumns, n.Column);
            numericColumnOfSlot[at++] = column;
            if (n.MissingIndicator)
            {
                numericColumnOfSlot[at++] = column;
            }
        }
        return (slot, row) =>
        {
            var column = numericColumnOfSlot[slot];
            if (column < 0)
            {
                return names[slot];
            }
            var value = row.Numeric[column];
            return double.IsNaN(value)
                ? $"{table.NumericColumns[column]} missing"
                : $"{table.NumericColumns[column]} {Math.Round(value, 2).ToString(CultureInfo.InvariantCulture)}";
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static FeatureEncoder FromJson(string json) =>
        JsonSerializer.Deserialize<FeatureEncoder>(json) ?? throw new InvalidOperationException("empty feature encoder");

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == column)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"feature column {column} is missing from the scoring data");
    }
}
