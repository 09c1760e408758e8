using RetentionAnalytics.Core.Jobs;

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

    /// <summary>
    /// Whether to retrain the active model, and why, in words for the Operations page. The AUC since training must fall
    /// by more than <see cref="AucDrop"/> and by more than twice its own standard error (Hanley and McNeil), so that a
    /// small province's month-to-month noise does not turn the cadence into monthly retraining.
    /// </summary>
    public RetrainingDecision Decide(ChurnModelInfo? active, LabelledMonths months, ModelDrift? drift)
    {
        if (active is null)
        {
            return new(true, new(new RunNote("NoActiveModel")));
        }
        if (months.LatestLabelled is not { } labelled || (active.TrainTo is { } trainedTo && labelled <= trainedTo))
        {
            return new(false, new(new RunNote("NoLabelledMonthSinceTraining")));
        }
        var after = Math.Max(1, RetrainAfterMonths);
        var since = active.TrainTo is { } to ? (labelled.Year - to.Year) * 12 + labelled.Month - to.Month : int.MaxValue;
        var watched = new RunNote("MonthsSinceTraining", since, after);
        if (active.TrainTo is null)
        {
            return new(true, new(new RunNote("NoTrainingWindow")));
        }
        if (since >= after)
        {
            return new(true, new(watched));
        }
        if (active.Auc is not { } then)
        {
            return new(false, new(watched, new RunNote("NoEvaluationAuc")));
        }
        if (drift is null || drift.Churners < MinimumChurners)
        {
            return new(false, new(watched, new RunNote("TooFewChurners", drift?.Churners ?? 0, MinimumChurners)));
        }
        if (drift.Auc is not { } now)
        {
            return new(false, new(watched, new RunNote("OneClassOnly")));
        }
        var noise = 2 * StandardError(now, drift.Churners, drift.Rows - drift.Churners);
        var allowed = Math.Max(Math.Max(0, AucDrop), noise);
        object[] figures = [now, $"{drift.FromMonth:yyyy-MM}", $"{drift.ToMonth:yyyy-MM}", then];
        // a hair's breadth of floating point is not a drop: 0.85 - 0.83 is 0.020000000000000018
        return then - now > allowed + 1e-9
            ? new(true, new(new RunNote("AucDropped", [.. figures, allowed])))
            : new(false, new(watched, new RunNote("AucHeld", figures)));
    }

    /// <summary>The standard error of an AUC measured on this many churners and stayers (Hanley and McNeil, 1982).</summary>
    public static double StandardError(double auc, long churners, long stayers)
    {
        if (churners <= 0 || stayers <= 0)
        {
            return double.PositiveInfinity;
        }
        var q1 = auc / (2 - auc);
        var q2 = 2 * auc * auc / (1 + auc);
        var variance = (auc * (1 - auc) + (churners - 1) * (q1 - auc * auc) + (stayers - 1) * (q2 - auc * auc)) / ((double)churners * stayers);
        return Math.Sqrt(Math.Max(0, variance));
    }
}

/// <param name="Reasons">Why, in sentences the operations page words in the reader's language.</param>
public sealed record RetrainingDecision(bool Retrain, RunNotes Reasons)
{
    /// <summary>Why, in English (the CLI, logs).</summary>
    public string Why => Reasons.ToString();
}

/// <summary>The active model on the labelled months after its training window, from its stored scores (sql/model/model_drift.sql).</summary>
public sealed record ModelDrift(long Rows, long Churners, DateOnly? FromMonth, DateOnly? ToMonth, double? Auc);
