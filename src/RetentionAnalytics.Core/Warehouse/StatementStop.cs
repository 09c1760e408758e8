using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// A stop asked for (Ctrl+C, a service stopping) interrupts the statement a connection is running, instead of waiting
/// for it to end: at a province's size one statement of a build can run for minutes. The interrupted statement throws,
/// its transaction rolls back, and the caller turns the failure into the stop (<see cref="Stopped"/>).
/// </summary>
public static class StatementStop
{
    /// <summary>Dispose it before the connection (declare it after the connection's <c>using</c>).</summary>
    public static CancellationTokenRegistration InterruptOn(this DuckDBConnection connection, CancellationToken ct) =>
        ct.Register(() => NativeMethods.Startup.DuckDBInterrupt(connection.NativeConnection));

    /// <summary>
    /// The failure of a statement interrupted by <paramref name="ct"/> (DuckDB.NET throws a cancellation of no token for
    /// it, a statement around it may fail otherwise), as the cancellation by <paramref name="ct"/> it is.
    /// </summary>
    public static OperationCanceledException Stopped(Exception interrupted, CancellationToken ct) =>
        interrupted is OperationCanceledException own && own.CancellationToken == ct ? own : new("stopped before the end", interrupted, ct);
}
