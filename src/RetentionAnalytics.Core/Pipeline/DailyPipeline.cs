using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Transforms;

namespace RetentionAnalytics.Core.Pipeline;

public sealed record PipelineResult(
    IReadOnlyList<FileLoadResult> Files, int TransformsRun, int QualityWarnings, int QualityFailures,
    IReadOnlyList<string> StepSummaries)
{
    public override string ToString() =>
        $"{Files.Count(f => f.Status == "loaded")} file(s) loaded, {Files.Sum(f => f.RowsLoaded):N0} rows, " +
        $"{Files.Sum(f => f.RowsRejected):N0} rejected; {TransformsRun} transform(s); " +
        $"quality: {QualityFailures} failed, {QualityWarnings} warned" +
        string.Concat(StepSummaries.Select(s => "; " + s));
}

/// <summary>
/// The daily pipeline: load what is in the folder, rebuild dimensions, facts and marts, check freshness, then run
/// the registered <see cref="IPipelineStep"/>s (scoring, detection, call lists) when the warehouse was rebuilt.
/// </summary>
public sealed class DailyPipeline(Loader loader, TransformRunner transforms, QualityChecks quality, IEnumerable<IPipelineStep> steps)
{
    /// <param name="archive">
    /// Move each processed file out of the folder (an inbox): <c>archive/yyyy-MM-dd/</c> when it was loaded or already
    /// known, <c>rejected/</c> when it needs a person. Never for the sample folder, which is part of the checkout.
    /// </param>
    /// <param name="rebuild">Rebuild and run the steps even when no file was new (a seed taken up after a stop).</param>
    public Task<PipelineResult> RunAsync(string folder, IProgress<JobProgress>? progress, CancellationToken ct, bool archive = false, bool rebuild = false) =>
        Task.Run(() => Run(folder, progress, ct, archive, rebuild), ct);

    public PipelineResult Run(string folder, IProgress<JobProgress>? progress, CancellationToken ct, bool archive = false, bool rebuild = false)
    {
        // loading is most of the work: 0-60 %, transforms 60-80 %, checks, then the steps up to 100 %
        var files = loader.LoadDirectory(folder, new Progress<LoadProgress>(p =>
            progress?.Report(new JobProgress(p.FileCount == 0 ? 60 : 60.0 * p.FileIndex / p.FileCount, "load", p.FileName))), ct);
        if (archive)
        {
            InboxArchive.Move(folder, files);
        }
        var anyLoaded = files.Any(f => f.Status == "loaded");
        var transformed = anyLoaded || rebuild || !files.Any()
            ? transforms.Run(new Progress<JobProgress>(p => progress?.Report(p with { Percent = 60 + 0.2 * p.Percent })), ct)
            : [];
        progress?.Report(new JobProgress(80, "quality", "freshness"));
        var latest = quality.CheckFreshness();
        var summaries = new List<string>();
        if (transformed.Count > 0)
        {
            var ordered = steps.OrderBy(s => s.Order).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var (from, width) = (80 + 20.0 * i / ordered.Count, 20.0 / ordered.Count);
                var step = ordered[i];
                summaries.Add(step.Run(new Progress<JobProgress>(p =>
                    progress?.Report(new JobProgress(from + width * p.Percent / 100, step.Name, p.Message))), ct));
            }
        }
        progress?.Report(new JobProgress(100, "done"));
        return new PipelineResult(files, transformed.Count,
            latest.Count(r => r.Status == "warn"), latest.Count(r => r.Status == "fail"), summaries);
    }
}
