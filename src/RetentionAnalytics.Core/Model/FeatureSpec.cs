namespace RetentionAnalytics.Core.Model;

/// <summary>
/// What the churn model learns from: a SQL file (under <c>sql/</c>) with one row per entity (and period), its id,
/// label and optional period and city columns; every other column is a feature, numeric unless it is text (text is
/// one-hot encoded). The province and IBM's Telco sample go through the same training code with different specs.
/// </summary>
public sealed record FeatureSpec(
    string FeatureSet, string SqlFile, string IdColumn, string LabelColumn, string? PeriodColumn = null, string? CityColumn = null)
{
    /// <summary>The feature query itself, when it is generated from the contracts instead of read from <see cref="SqlFile"/>.</summary>
    public string? Text { get; init; }

    /// <summary>Subscriber months of the warehouse (mart.mart_subscriber_features, leak-free selection).</summary>
    public static FeatureSpec Province { get; } =
        new("province", "model/province_features.sql", "subscriber_id", "label", "period", "city_code");

    /// <summary>The set of a warehouse that holds a single snapshot month (<see cref="SnapshotFeatures"/>).</summary>
    public const string SnapshotSet = "snapshot";
}

/// <summary>How labelled rows are divided into training and evaluation rows.</summary>
public abstract record DataSplit;

/// <summary>
/// Train on months &lt;= <see cref="TrainUntil"/>, evaluate on the labelled months after it: the model never sees the
/// future it is judged on. Without TrainUntil the last <see cref="EvalMonths"/> labelled months are evaluated and, with
/// <see cref="Refit"/>, the saved model is then retrained on every labelled month (the backtest's figures are kept).
/// </summary>
public sealed record TimeSplit(DateOnly? TrainUntil = null, int EvalMonths = 3, int TrainMonths = 12, bool Refit = true) : DataSplit;

/// <summary>A seeded random split by id, for data without periods (the IBM sample).</summary>
public sealed record RandomSplit(double TestFraction = 0.2, int Seed = 42) : DataSplit;

/// <summary>
/// Gradient-boosted trees' settings; the defaults favour many shallow trees (few hundred positives per month). Training
/// reads at most <see cref="MaxTrainingRows"/> labelled rows: above that, a seeded sample of the subscribers (all their
/// months) so that memory stays bounded whatever the province's size (docs/model.md, "Sampling").
/// </summary>
public sealed record TreeSettings(int Trees = 200, int Leaves = 6, int MinRowsPerLeaf = 50, double LearningRate = 0.05, int Seed = 7,
    long MaxTrainingRows = TreeSettings.DefaultMaxTrainingRows)
{
    public const long DefaultMaxTrainingRows = 1_500_000;
}
