using System.Globalization;

namespace RetentionAnalytics.Core.Model;

/// <summary>
/// When the daily pipeline retrains the province's churn model (configuration section <c>Model</c>): on a cadence of
/// labelled months, or earlier when the model ranks the churners of the months it never saw clearly worse than it did in
/// its own evaluation. Between retrainings a new month is only scored, so a month-end delivery does not retrain and
/// rescore the whole history every month (docs/model.md, "When the model is retrained").
/// </summary>
public sealed class RetrainingPolicy
{
    /// <summary>Retrain once the newest labelled month is this many months past the model's training window (1: every month).</summary>
    public int RetrainAfterMonths { get; set; } = 3;

    /// <summary>Retrain earlier when the out-of-time AUC is more than this below the AUC the model was evaluated with.</summary>
    public double AucDrop { get; set; } = 0.02;

    /// <summary>Fewer churners than this in the months after training say too little about the AUC to act on.</summary>
    public int MinimumChurners { get; set; } = 30;

    /// <summary>Whether to (re)train the active province model, and why; reads the drift only when the cadence has not decided.</summary>
    public RetrainingDecision Decide(ChurnModels models, ChurnModelInfo? active, LabelledMonths months)
    {
        var preliminary = Decide(active, months, drift: null);
        if (preliminary.Retrain || active is null || months.LatestLabelled is not { } labelled || labelled <= active.TrainTo)
        {
            return preliminary;
        }
        return Decide(active, months, models.Drift(active));
    }

    /// <summary>Whether to retrain the active model, and why, in words for the Operations page.</summary>
    public RetrainingDecision Decide(ChurnModelInfo? active, LabelledMonths months, ModelDrift? drift)
    {
        if (active is null)
        {
            return new(true, "no active model");
        }
        if (months.LatestLabelled is not { } labelled || (active.TrainTo is { } trainedTo && labelled <= trainedTo))
        {
            return new(false, "no labelled month since training");
        }
        var since = active.TrainTo is { } to ? (labelled.Year - to.Year) * 12 + labelled.Month - to.Month : int.MaxValue;
        if (since >= Math.Max(1, RetrainAfterMonths))
        {
            return new(true, active.TrainTo is null
                ? "the model has no training window"
                : $"{since} labelled month(s) since training (retrain after {RetrainAfterMonths})");
        }
        var watched = $"{since} labelled month(s) since training (retrain after {RetrainAfterMonths})";
        if (drift is not { Auc: { } now } || drift.Churners < MinimumChurners || active.Auc is not { } then)
        {
            return new(false, $"{watched}; too few churners since training to judge the AUC ({drift?.Churners ?? 0:N0})");
        }
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"AUC {now:F3} on {drift.FromMonth:yyyy-MM}..{drift.ToMonth:yyyy-MM} against {then:F3} at training");
        return then - now > AucDrop
            ? new(true, $"{figures}: more than {AucDrop.ToString(CultureInfo.InvariantCulture)} lower")
            : new(false, $"{watched}; {figures}");
    }
}

public sealed record RetrainingDecision(bool Retrain, string Why);

/// <summary>The active model on the labelled months after its training window, from its stored scores (sql/model/model_drift.sql).</summary>
public sealed record ModelDrift(long Rows, long Churners, long Months, DateOnly? FromMonth, DateOnly? ToMonth, double? Auc);
