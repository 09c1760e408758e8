using System.Diagnostics.CodeAnalysis;
using RetentionAnalytics.Portal.Features.Cluster;

namespace RetentionAnalytics.Portal.Features.Pipeline;

/// <summary>Who holds the pipeline: which trigger started it and when (local time).</summary>
public sealed record PipelineHolder(string JobName, string TriggerKind, DateTime StartedAt);

/// <summary>
/// One pipeline at a time in this process, whoever asks: the scheduled jobs, the startup seed and catch-up, and
/// the operations page. Quartz's [DisallowConcurrentExecution] only keeps one job from overlapping itself; two
/// pipelines writing the same staging tables at once would interleave their loads. With several nodes, only on the
/// writer (<see cref="WriterRole"/>): the others refuse.
/// </summary>
public sealed class PipelineGate(WriterRole role, RetentionAnalytics.Core.Regions.RegionClock clock)
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private volatile PipelineHolder? _holder;

    /// <summary>The current holder, or null when the pipeline is idle.</summary>
    public PipelineHolder? Holder => _holder;

    public bool IsBusy => _semaphore.CurrentCount == 0;

    public bool TryEnter(string jobName, string triggerKind, [NotNullWhen(true)] out Lease? lease)
    {
        if (!role.IsWriter || !_semaphore.Wait(0))
        {
            lease = null;
            return false;
        }
        lease = Hold(jobName, triggerKind);
        return true;
    }

    public async Task<Lease> EnterAsync(string jobName, string triggerKind, CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return Hold(jobName, triggerKind);
    }

    /// <summary>The refusal people read when they ask while the pipeline runs.</summary>
    public string DescribeRefusal() =>
        !role.IsWriter
            ? $"the pipeline runs on the writer node ({role.LastKnownWriter ?? "none at the moment"}), not on {role.Node}"
            : _holder is { } h
            ? $"pipeline already running, started at {h.StartedAt:yyyy-MM-dd HH:mm:ss} ({h.JobName}, {h.TriggerKind})"
            : "pipeline already running";

    private Lease Hold(string jobName, string triggerKind)
    {
        _holder = new PipelineHolder(jobName, triggerKind, clock.Now);
        return new Lease(this);
    }

    private void Release()
    {
        _holder = null;
        _semaphore.Release();
    }

    public sealed class Lease(PipelineGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
