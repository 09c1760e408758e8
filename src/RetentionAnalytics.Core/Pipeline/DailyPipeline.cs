using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Transforms;

namespace RetentionAnalytics.Core.Pipeline;

public sealed record PipelineResult(IReadOnlyList<FileLoadResult> Files, int TransformsRun, int QualityWarnings, int QualityFailures)
{
    public override string ToString() =>
        $"{Files.Count(f => f.Status == "loaded")} file(s) loaded, {Files.Sum(f => f.RowsLoaded):N0} rows, " +
        $"{Files.Sum(f => f.RowsRejected):N0} rejected; {TransformsRun} transform(s); " +
        $"quality: {QualityFailures} failed, {QualityWarnings} warned";
}

/// <summary>The daily pipeline: load what is in the folder, rebuild dimensions, facts and marts, check freshness.</summary>
public sealed class DailyPipeline(Loader loader, TransformRunner transforms, QualityChecks quality)
{
    /// <param name="archive">
    /// Move each processed file out of the folder (an inbox): <c>archive/yyyy-MM-dd/</c> when it was loaded or already
    /// known, <c>rejected/</c> when it needs a person. Never for the sample folder, which is part of the checkout.
    /// </param>
    public Task<PipelineResult> RunAsync(string folder, IProgress<JobProgress>? progress, CancellationToken ct, bool archive = false) =>
        Task.Run(() => Run(folder, progress, ct, archive), ct);

    public PipelineResult Run(string folder, IProgress<JobProgress>? progress, CancellationToken ct, bool archive = false)
    {
        // loading is most of the work: 0-70 %, transforms 70-95 %, checks the rest
        var files = loader.LoadDirectory(folder, new Progress<LoadProgress>(p =>
            progress?.Report(new JobProgress(p.FileCount == 0 ? 70 : 70.0 * p.FileIndex / p.FileCount, "load", p.FileName))), ct);
        if (archive)
        {
            InboxArchive.Move(folder, files);
        }
        var anyLoaded = files.Any(f => f.Status == "loaded");
        var transformed = anyLoaded || !files.Any()
            ? transforms.Run(new Progress<JobProgress>(p => progress?.Report(p with { Percent = 70 + 0.25 * p.Percent })), ct)
            : [];
        progress?.Report(new JobProgress(95, "quality", "freshness"));
        var latest = quality.CheckFreshness();
        progress?.Report(new JobProgress(100, "done"));
        return new PipelineResult(files, transformed.Count,
            latest.Count(r => r.Status == "warn"), latest.Count(r => r.Status == "fail"));
    }
}
