using System.Runtime.InteropServices;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// The C allocator DuckDB allocates through (glibc on Linux; the bundled DuckDB has no jemalloc). glibc keeps what a
/// thread frees in that thread's arena for reuse, up to eight arenas per core, so memory a query released still counts
/// in the process's resident size during the next phase, and the process can go over its memory limit
/// (<see cref="WarehouseOptions.MemoryLimit"/>) although DuckDB stayed within its own (docs/benchmarks.md). Elsewhere,
/// or where the calls are missing, this does nothing.
/// </summary>
public static class NativeHeap
{
    private const int ArenaMax = -8; // M_ARENA_MAX

    private static int _limited;

    /// <summary>At most one arena per core (at least two), before DuckDB starts its threads; once per process.</summary>
    public static void LimitArenas()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _limited, 1) == 1)
        {
            return;
        }
        Call(() => mallopt(ArenaMax, Math.Max(2, Environment.ProcessorCount)));
    }

    /// <summary>Gives the free memory of every arena back to the machine: after a phase that freed much of what it held.</summary>
    public static void Trim()
    {
        if (OperatingSystem.IsLinux())
        {
            Call(() => malloc_trim(0));
        }
    }

    private static void Call(Func<int> call)
    {
        try
        {
            call();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (musl has neither): its allocator keeps what it keeps
        }
    }

#pragma warning disable SYSLIB1054, CA5392 // two plain C calls with int arguments
    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054, CA5392
}
