using System.Diagnostics;

namespace RetentionAnalytics.Core.Benchmarks;

/// <summary>The process's resident memory as Linux counts it (VmRSS, VmHWM): DuckDB's native memory included.</summary>
public static class ProcessMemory
{
    /// <summary>The peak resident set since the process started or since the last <see cref="ResetPeak"/>.</summary>
    public static long Peak() => Status("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

    public static long Current() => Status("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

    /// <summary>Starts a new peak (Linux: /proc/self/clear_refs "5"), so that each phase of a benchmark gets its own.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // not Linux, or not allowed: peaks then run from the start of the process
        }
    }

    private static long? Status(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb * 1024 : null;
    }
}
