using System.Diagnostics;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Etl.Loading;

public sealed partial class Loader
{
    /// <summary>What is known about a delivered file so far; the audit row records it whatever happens next.</summary>
    private sealed class Delivery(string fileName, string path, DateTime started)
    {
        public string FileName { get; } = fileName;
        public string Path { get; } = path;
        public DateTime Started { get; } = started;
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public string Extract { get; set; } = "unknown";
        public string? Encoding { get; set; }
        public DateOnly? BusinessDate { get; set; }
        public int Sequence { get; set; }
        public string Checksum { get; set; } = "";
        public long Bytes { get; set; }

        /// <summary>Where a staged load goes for a later relationships check; null: checked at once.</summary>
        public List<StagedLoad>? Staged { get; init; }

        /// <summary>A stop asked for (Ctrl+C, a service stopping): it interrupts the statement running until the file's commit.</summary>
        public CancellationToken Stop { get; init; }

        private CancellationTokenRegistration _interrupt;

        /// <summary>Until <see cref="Commit"/>, a stop interrupts what <paramref name="connection"/> runs; dispose it before the connection.</summary>
        public CancellationTokenRegistration InterruptOn(DuckDBConnection connection) => _interrupt = connection.InterruptOn(Stop);

        /// <summary>
        /// The file's commit. A stop asked for until here rolls the file back; from here on it no longer interrupts, so the
        /// checks after the load of a file that is in run to their end.
        /// </summary>
        public void Commit(DuckDBTransaction tx)
        {
            Stop.ThrowIfCancellationRequested();
            tx.Commit();
            _interrupt.Dispose();
        }

        private readonly List<string> _steps = [];
        private long _stepStart;

        /// <summary>Ends a step of the load: its time goes into <see cref="Steps"/> (logged at Debug).</summary>
        public void Step(string name)
        {
            var now = Clock.ElapsedMilliseconds;
            _steps.Add($"{name} {now - _stepStart} ms");
            _stepStart = now;
        }

        public string Steps => string.Join(", ", _steps);
    }
}
