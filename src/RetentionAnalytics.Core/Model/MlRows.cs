using Microsoft.ML;
using Microsoft.ML.Data;

namespace RetentionAnalytics.Core.Model;

/// <summary>A row as ML.NET sees it: the encoded vector, the label and the position of its raw row.</summary>
internal sealed class MlRow
{
    public bool Label { get; set; }
    public float[] Features { get; set; } = [];
    public int Index { get; set; }

    /// <summary>The vector's length is known at run time only (it depends on the feature spec and its categories).</summary>
    public static IDataView View(MLContext ml, IEnumerable<MlRow> rows, int length)
    {
        var schema = SchemaDefinition.Create(typeof(MlRow));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}

internal sealed class MlPrediction
{
    public bool Label { get; set; }
    public float Probability { get; set; }
    public int Index { get; set; }
}

internal sealed class MlExplainedPrediction
{
    public float Probability { get; set; }
    public int Index { get; set; }
    public float[] FeatureContributions { get; set; } = [];
}
