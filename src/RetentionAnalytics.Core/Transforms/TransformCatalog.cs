using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Transforms;

/// <summary>
/// The transform models of <c>sql/transforms</c> in run order (file-name order), checked as a whole: one model per
/// table, and every model's dw/mart inputs built by a model that runs before it.
/// </summary>
public sealed class TransformCatalog
{
    private readonly Dictionary<string, TransformModel> _byName;

    public IReadOnlyList<TransformModel> Models { get; }

    public TransformCatalog(IReadOnlyList<TransformModel> models)
    {
        Models = models;
        _byName = new Dictionary<string, TransformModel>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            foreach (var input in model.Inputs.Where(i => !i.IsStaging))
            {
                if (!_byName.TryGetValue(input.Relation, out var source))
                {
                    throw new TransformException(model.File, 1,
                        $"input {input.Relation} is not built by a transform that runs before this one");
                }
                if (input.Mapping == InputMapping.Default && model.Refresh == RefreshKind.Partition
                    && source.Refresh == RefreshKind.Key && source.MonthColumn is null)
                {
                    throw new TransformException(source.File, 1,
                        $"{model.Name} reads it by month: declare the month of a row (-- month: <date column>)");
                }
            }
            if (!_byName.TryAdd(model.Name, model))
            {
                throw new TransformException(model.File, 1, $"{model.Name} is built by two transforms");
            }
        }
    }

    public static TransformCatalog Load(SqlFiles sql) =>
        new(sql.List("transforms").Select(f => TransformModel.Parse(f, sql.Get(f))).ToList());

    public TransformModel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The models that read a relation, with the input line that says how.</summary>
    public IEnumerable<(TransformModel Model, TransformInput Input)> ReadersOf(string relation) =>
        Models.SelectMany(m => m.Inputs.Where(i => i.Relation == relation).Select(i => (m, i)));

    /// <summary>The staging extracts a model is built from, directly or through the models it reads.</summary>
    public IReadOnlySet<string> StagingInputsOf(TransformModel model)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<TransformModel>([model]);
        var seen = new HashSet<string>();
        while (pending.TryPop(out var m))
        {
            if (!seen.Add(m.Name))
            {
                continue;
            }
            foreach (var input in m.Inputs)
            {
                if (input.IsStaging)
                {
                    result.Add(input.StagingExtract);
                }
                else if (Find(input.Relation) is { } source)
                {
                    pending.Push(source);
                }
            }
        }
        return result;
    }
}
