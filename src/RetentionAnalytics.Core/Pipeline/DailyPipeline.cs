using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Pipeline;

public sealed record PipelineResult(
    IReadOnlyList<FileLoadResult> Files, int TransformsRun, int QualityWarnings, int QualityFailures,
    IReadOnlyList<RunNotes> StepSummaries, BuildResult? Build = null, CompactionResult? Compaction = null) : IHasRunNotes
{
    public RunNotes Notes => new(Summary());

    public override string ToString() => Notes.ToString();

    private IEnumerable<RunNote> Summary()
    {
        var loaded = Files.Where(f => f.Status == "loaded").ToList();
        yield return new RunNote("FilesLoaded", loaded.Count, loaded.Sum(f => f.RowsLoaded), Files.Sum(f => f.RowsRejected));
        // files a person must look at, by status: the run succeeded, but they did not load as delivered
        var attention = Files.Where(f => InboxArchive.NeedsAttention(f.Status)).GroupBy(f => f.Status)
            .Select(g => new RunNote($"Files_{g.Key}", g.Count())).ToList();
        if (attention.Count > 0)
        {
            yield return new RunNote("FilesNeedPerson", new RunNotes(attention));
        }
        yield return Build is { Changed: true } b
            ? new RunNote("Refreshed", TransformsRun, b.Models.Count(m => m.Mode == "incremental"), b.Models.Count(m => m.Mode == "full"))
            : new RunNote("NothingToRefresh");
        yield return new RunNote("Quality", QualityFailures, QualityWarnings);
        foreach (var note in StepSummaries.SelectMany(s => s))
        {
            yield return note;
        }
        if (Compaction is { Compacted: true } c)
        {
            yield return c.Note;
        }
    }
}

/// <summary>
/// The daily pipeline: load what is in the folder, refresh what the loads changed in dimensions, facts and marts,
/// check freshness, then run the registered <see cref="IPipelineStep"/>s (scoring, detection, call lists) when the
/// warehouse changed; finally compact the file when enough of it is free (Warehouse:CompactAtFreeShare) or it grew
/// enough since the first build after its last compaction (Warehouse:CompactAtGrowth).
/// </summary>
public sealed class DailyPipeline(
    Loader loader, TransformRunner transforms, QualityChecks quality, IEnumerable<IPipelineStep> steps, WarehouseCompactor? compactor = null)
{
    /// <summary>How long a compaction waits for the portal's open connections before it leaves the swap to a later run.</summary>
    public static readonly TimeSpan CompactionDrain = TimeSpan.FromSeconds(30);

    /// <param name="archive">
    /// Move each processed file out of the folder (an inbox): <c>archive/yyyy-MM-dd/</c> when it was loaded or already
    /// known, <c>rejected/</c> when it needs a person. Never for the sample folder, which is part of the checkout.
    /// </param>
    /// <param name="rebuild">Run the steps even when no file was new (a seed taken up after a stop).</param>
    public Task<PipelineResult> RunAsync(string folder, IProgress<JobProgress>? progress, CancellationToken ct, bool archive = false, bool rebuild = false) =>
        Task.Run(() => Run(folder, progress, ct, archive, rebuild), ct);

    public PipelineResult Run(string folder, IProgress<JobProgress>? progress, CancellationToken ct, bool archive = false, bool rebuild = false)
    {
        // loading is most of the work: 0-60 %, transforms 60-80 %, checks, then the steps up to 98 %, compaction
        var files = loader.LoadDirectory(folder, new Progress<LoadProgress>(p =>
            progress?.Report(new JobProgress(p.FileCount == 0 ? 60 : 60.0 * p.FileIndex / p.FileCount, "load", p.FileName))), ct);
        if (archive)
        {
            InboxArchive.Move(folder, files, loader.Warehouse.Clock.Today);
        }
        // only what the loads since the last build touched is refreshed: an identical re-delivery refreshes nothing
        var build = transforms.Build(BuildRequest.Incremental,
            new Progress<JobProgress>(p => progress?.Report(p with { Percent = 60 + 0.2 * p.Percent })), ct);
        progress?.Report(new JobProgress(80, "quality", "freshness"));
        var latest = quality.CheckFreshness();
        var summaries = new List<RunNotes>();
        // the nightly run over an empty inbox still scores, detects and lists (parameters may have changed)
        if (build.Changed || ((rebuild || files.Count == 0) && build.Skipped is null))
        {
            var ordered = steps.OrderBy(s => s.Order).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var (from, width) = (80 + 18.0 * i / ordered.Count, 18.0 / ordered.Count);
                var step = ordered[i];
                summaries.Add(step.Run(new Progress<JobProgress>(p =>
                    progress?.Report(new JobProgress(from + width * p.Percent / 100, step.Name, p.Message))), ct));
            }
        }
        CompactionResult? compaction = null;
        if (build.Changed && compactor?.IsWorthCompacting() is { } reason)
        {
            progress?.Report(new JobProgress(98, "compact", "compacting the warehouse file"));
            compaction = compactor.Compact(CompactionDrain, reason, ct);
        }
        progress?.Report(new JobProgress(100, "done"));
        return new PipelineResult(files, build.Models.Count,
            latest.Count(r => r.Status == "warn"), latest.Count(r => r.Status == "fail"), summaries, build, compaction);
    }
}
