namespace RetentionAnalytics.Core.Transforms;

public enum BuildKind
{
    /// <summary>Refresh what the loads since the last build touched (the pipeline, <c>ra load</c>).</summary>
    Incremental,

    /// <summary>Rebuild every model from all of staging (<c>ra rebuild</c>).</summary>
    Full,

    /// <summary>Refresh as if every delivery from a month on had just arrived (<c>ra rebuild --from</c>).</summary>
    From,
}

public sealed record BuildRequest(BuildKind Kind, DateOnly? FromMonth = null)
{
    /// <summary>Keys or rows per slice of the sliced full builds instead of each model's own <c>-- slices:</c> (tests cut small slices).</summary>
    public long? SliceSize { get; init; }

    public static BuildRequest Incremental { get; } = new(BuildKind.Incremental);

    public static BuildRequest Full { get; } = new(BuildKind.Full);

    public static BuildRequest From(DateOnly month) => new(BuildKind.From, new DateOnly(month.Year, month.Month, 1));
}

/// <summary>What one model's refresh did, and why (meta.build_model; the operations page shows it).</summary>
/// <param name="Mode">full | incremental</param>
/// <param name="Reason">first_build | sql_changed | contract_changed | rebuild | input | escalated</param>
/// <param name="Cause">The input or contract behind the reason (stg.payment, dw.fct_subscriber_month).</param>
/// <param name="ScopeKind">months | dates | keys | all</param>
public sealed record TransformResult(
    string File, string Model, string Mode, string Reason, string? Cause, string ScopeKind, long? ScopeCount,
    string? ScopeDetail, long? RowsDeleted, long? RowsInserted, TimeSpan Duration)
{
    public override string ToString() =>
        $"{Model}: {Mode} ({Reason}{(Cause is null ? "" : " " + Cause)}), " +
        (ScopeKind == "all" ? "all" : $"{ScopeCount:N0} {ScopeKind}{(ScopeDetail is null ? "" : " " + ScopeDetail)}") +
        $", {Duration.TotalMilliseconds:N0} ms";
}

/// <param name="Skipped">Why nothing ran at all (no subscriptions staged yet), or null.</param>
public sealed record BuildResult(
    long? BuildId, BuildKind Kind, IReadOnlyList<TransformResult> Models, int Unchanged, TimeSpan Duration, string? Skipped)
{
    public bool Changed => Models.Count > 0;

    public override string ToString() =>
        Skipped ?? (Models.Count == 0
            ? $"nothing to refresh ({Unchanged} models unchanged)"
            : $"{Models.Count} model(s) refreshed ({Models.Count(m => m.Mode == "full")} in full), {Unchanged} unchanged, {Duration.TotalSeconds:N1} s");
}
