using System.Diagnostics;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// Whether this node is the writer: it runs the pipeline and the scheduled jobs. With one process (<c>Ops:Provider</c>
/// duckdb) it always is; with several nodes, while it holds the writer lease (<see cref="LeaseKeeper"/>).
/// </summary>
public sealed class WriterRole
{
    private readonly Lock _lock = new();
    private long _validUntil;
    private TaskCompletionSource _becameWriter = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lostWriter = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WriterRole(bool clustered, string node, bool hotStandby, bool standbyServesReading)
    {
        IsClustered = clustered;
        Node = node;
        HotStandby = hotStandby;
        StandbyServesReading = hotStandby && standbyServesReading;
        if (!clustered)
        {
            _validUntil = long.MaxValue;
            _caughtUp = true;
            _becameWriter.SetResult();
        }
    }

    public static WriterRole Alone() => new(clustered: false, Environment.MachineName, hotStandby: false, standbyServesReading: false);

    public static WriterRole Clustered(string node, bool hotStandby, bool standbyServesReading = false) =>
        new(clustered: true, node, hotStandby, standbyServesReading);

    public bool IsClustered { get; }

    /// <summary>A node that is not the writer refuses requests (<c>Cluster:HotStandby</c>).</summary>
    public bool HotStandby { get; }

    /// <summary>While this node does not serve everyone, it still serves the roles that only read (<c>Cluster:StandbyServesReading</c>).</summary>
    public bool StandbyServesReading { get; }

    /// <summary>
    /// Whether this node answers requests now: the writer once it has caught up with what the previous writer left
    /// (<see cref="CaughtUp"/>), another node only without the hot standby.
    /// </summary>
    public bool Serves => !HotStandby || IsCaughtUpWriter;

    /// <summary>The writer, once it has caught up with what the previous writer left.</summary>
    public bool IsCaughtUpWriter => IsWriter && Volatile.Read(ref _caughtUp);

    private bool _caughtUp;

    /// <summary>The role as the health endpoint reports it: <c>writer</c>, <c>standby</c> or (every node serving) <c>reader</c>.</summary>
    public string Name => IsWriter ? "writer" : HotStandby ? "standby" : "reader";

    /// <summary>This node's name (Cluster:Node).</summary>
    public string Node { get; }

    /// <summary>The writer's name as the lease last showed it (several nodes), for the refusal people read.</summary>
    public string? LastKnownWriter { get; private set; }

    /// <summary>True until the lease's last renewal runs out on this node's own clock.</summary>
    public bool IsWriter => Stopwatch.GetTimestamp() < Volatile.Read(ref _validUntil);

    /// <summary>Completes once this node is the writer (at once with one process).</summary>
    public Task WhenWriter(CancellationToken ct)
    {
        lock (_lock)
        {
            return _becameWriter.Task.WaitAsync(ct);
        }
    }

    /// <summary>Each time this node becomes the writer the term counts up (0 with one process).</summary>
    public long Term
    {
        get
        {
            lock (_lock)
            {
                return _term;
            }
        }
    }

    private long _term;

    /// <summary>
    /// Completes once this node is no longer the writer of <paramref name="term"/>: it stopped being the writer, or
    /// it lost the role and took it again meanwhile (never with one process).
    /// </summary>
    public Task WhenNoLongerWriter(long term, CancellationToken ct)
    {
        lock (_lock)
        {
            return term != _term ? Task.CompletedTask : _lostWriter.Task.WaitAsync(ct);
        }
    }

    /// <summary>The lease was claimed and holds for <paramref name="validFor"/>; true when this made the node the writer.</summary>
    internal bool Renewed(TimeSpan validFor)
    {
        lock (_lock)
        {
            var wasWriter = IsWriter && _becameWriter.Task.IsCompleted;
            Volatile.Write(ref _validUntil, Stopwatch.GetTimestamp() + (long)(validFor.TotalSeconds * Stopwatch.Frequency));
            LastKnownWriter = Node;
            if (wasWriter)
            {
                return false;
            }
            if (_lostWriter.Task.IsCompleted)
            {
                _lostWriter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            Volatile.Write(ref _caughtUp, false);
            _term++;
            _becameWriter.TrySetResult();
            return true;
        }
    }

    /// <summary>
    /// The new writer holds the newest build and the agents' work journaled since (<see cref="Core.Workbench.AgentJournal"/>):
    /// from now on it serves.
    /// </summary>
    internal void CaughtUp(long term)
    {
        lock (_lock)
        {
            // a node that lost the role and took it again meanwhile catches up once more first
            if (term == _term)
            {
                Volatile.Write(ref _caughtUp, true);
            }
        }
    }

    /// <summary>Another node holds the lease (or it could not be renewed).</summary>
    internal void Lost(string? writer)
    {
        lock (_lock)
        {
            Volatile.Write(ref _validUntil, 0);
            LastKnownWriter = writer;
            if (_becameWriter.Task.IsCompleted)
            {
                _becameWriter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            _lostWriter.TrySetResult();
        }
    }
}
