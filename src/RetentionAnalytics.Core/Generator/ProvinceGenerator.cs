using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RetentionAnalytics.Core.Generator;

/// <summary>
/// Deterministic synthetic province: writes every ODS extract of docs/extracts.md for a window of months,
/// plus the ground truth of churn in <c>_truth/</c>. Same options and seed give the same bytes, whatever the
/// number of threads: every subscriber draws from its own random stream and chunks are written in order.
/// </summary>
public static class ProvinceGenerator
{
    private const int ChunkSize = 8192;

    /// <summary>
    /// Every account manager id a generated subscription extract can name, whatever the size and seed: the sample's
    /// teams file (<c>data-samples/ops/teams.yaml</c>) names each of them, so that no generated manager is shown by id.
    /// </summary>
    public static IReadOnlyList<string> AccountManagerIds { get; } =
        [.. Catalog.Cities.SelectMany(c => Enumerable.Range(1, Catalog.AccountManagersIn(c)).Select(n => Catalog.AccountManagerId(c, n)))];

    public static GeneratorResult Generate(GeneratorOptions options, IProgress<GeneratorProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Subscribers);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Months, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.DailyDays);
        Directory.CreateDirectory(options.OutputDirectory);
        var run = new Run(options, progress, ct);
        return run.Execute();
    }

    private sealed class Run(GeneratorOptions options, IProgress<GeneratorProgress>? progress, CancellationToken ct)
    {
        private readonly List<string> _files = [];
        private readonly long[] _rows = new long[Extracts.Count];
        private readonly List<string> _defects = [];
        private readonly ConcurrentBag<ChunkOutput> _pool = [];
        private readonly StreamWriter?[] _writers = new StreamWriter?[Extracts.Count];
        private readonly string?[] _names = new string?[Extracts.Count];
        private readonly long[] _lines = new long[Extracts.Count];
        // a daily month's event files: one writer, name and line count per extract and day of the month
        private readonly StreamWriter?[][] _dayWriters = Extracts.All.Select(_ => new StreamWriter?[31]).ToArray();
        private readonly string?[][] _dayNames = Extracts.All.Select(_ => new string?[31]).ToArray();
        private readonly long[][] _dayLines = Extracts.All.Select(_ => new long[31]).ToArray();
        private MonthContext? _dailyMonth;
        private Simulation _sim = null!;

        public GeneratorResult Execute()
        {
            _sim = new Simulation(options);
            var n = options.Subscribers;
            var chunks = (n + ChunkSize - 1) / ChunkSize;
            progress?.Report(new GeneratorProgress("initialise", 0, n));
            Parallel.For(0, chunks, new ParallelOptions { CancellationToken = ct }, c =>
                _sim.Initialise(c * ChunkSize, Math.Min(n, (c + 1) * ChunkSize)));
            _sim.AssignTiers();

            var endMonth = new DateOnly(options.EndMonth.Year, options.EndMonth.Month, 1);
            var firstDaily = options.DailyMonths > 0 ? options.Months - Math.Min(options.DailyMonths, options.Months) : int.MaxValue;
            MonthContext? last = null;
            for (var mi = 0; mi < options.Months; mi++)
            {
                var m = MonthContext.Create(endMonth.AddMonths(mi - options.Months + 1), mi, options.Months);
                m.Daily = mi >= firstDaily;
                m.KeepsDayUsage = mi >= firstDaily - 1;
                last = m;
                var stage = $"month {m.Year:D4}-{m.Month:D2}";
                for (var e = 0; e < Extracts.Count; e++)
                {
                    if ((Ex)e != Ex.UsageDay && !(m.Daily && Extracts.IsDaily((Ex)e)))
                    {
                        Open((Ex)e, m.EndDay);
                    }
                }
                if (m.Daily)
                {
                    OpenDays(m);
                }

                foreach (var e in new[] { Ex.Region, Ex.Channel, Ex.Plan, Ex.VasProduct })
                {
                    var sb = new StringBuilder();
                    Simulation.WriteReference(e, sb, Extracts.All[(int)e].NewLine);
                    var rows = sb.ToString().Count(ch => ch == '\n');
                    _writers[(int)e]!.Write(sb);
                    _rows[(int)e] += rows;
                    _lines[(int)e] += rows;
                }

                _dailyMonth = m.Daily ? m : null;
                Pipeline(stage, (lo, hi, o) => _sim.SimulateMonth(m, lo, hi, o), ForceMask(mi));
                _dailyMonth = null;
                CloseAll();
                if (m.KeepsDayUsage && (m.Daily || options.DailyDays > 0))
                {
                    // the days the ODS still holds before the daily months, then every day of them
                    var from = m.Daily ? m.StartDay : Math.Max(m.StartDay, m.EndDay - options.DailyDays + 1);
                    for (var day = from; day <= m.EndDay; day++)
                    {
                        var d = day;
                        Open(Ex.UsageDay, d);
                        Pipeline($"usage_day {CsvText.IsoDate(d)}", (lo, hi, o) => _sim.SimulateDay(d, m.StartDay, m.Abs, lo, hi, o), 0);
                        CloseAll();
                    }
                }
            }

            if (last is not null && options.DailyDays > 0 && options.DailyMonths == 0)
            {
                var firstDay = last.EndDay - options.DailyDays + 1;
                for (var day = firstDay; day <= last.EndDay; day++)
                {
                    var d = day;
                    Open(Ex.UsageDay, d);
                    Pipeline($"usage_day {CsvText.IsoDate(d)}", (lo, hi, o) => _sim.SimulateDay(d, last.StartDay, _sim.LastAbs, lo, hi, o),
                        d == last.EndDay ? 1 << (int)Ex.UsageDay : 0);
                    CloseAll();
                }
            }

            WriteTruth();
            var perExtract = new Dictionary<string, long>();
            long total = 0;
            for (var e = 0; e < Extracts.Count; e++)
            {
                perExtract[Extracts.All[e].Name] = _rows[e];
                total += _rows[e];
            }

            return new GeneratorResult(_files, total, perExtract, _defects.Count);
        }

        /// <summary>Every kind of defect once near the end of the window (on top of the 1-in-20,000 rate): the last
        /// three subscription files get the three subscription defects, the last two bill files both bill defects.</summary>
        private int ForceMask(int monthIndex)
        {
            var fromEnd = options.Months - 1 - monthIndex;
            var mask = 0;
            if (fromEnd == 0)
            {
                foreach (var e in new[] { Ex.Customer, Ex.Payment, Ex.Recharge, Ex.ServiceContact, Ex.Points, Ex.UsageMonth })
                {
                    mask |= 1 << (int)e;
                }
            }

            if (fromEnd <= 1)
            {
                mask |= 1 << (int)Ex.Bill;
            }

            if (fromEnd <= 2)
            {
                mask |= 1 << (int)Ex.Subscription;
            }

            return mask;
        }

        private void Open(Ex e, int businessDay)
        {
            var (writer, name) = Create(e, businessDay);
            _writers[(int)e] = writer;
            _names[(int)e] = name;
            _lines[(int)e] = 1;
        }

        private (StreamWriter Writer, string Name) Create(Ex e, int businessDay)
        {
            var spec = Extracts.All[(int)e];
            var name = $"{spec.Name}_{CsvText.CompactDate(businessDay)}.csv";
            var path = Path.Combine(options.OutputDirectory, name);
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            var writer = new StreamWriter(stream, spec.Encoding, 1 << 16);
            writer.Write(spec.Header);
            writer.Write(spec.NewLine);
            _files.Add(path);
            return (writer, name);
        }

        /// <summary>A daily month's event files, one per extract and day, named by the day (empty days too: the ODS
        /// delivers a file with its header).</summary>
        private void OpenDays(MonthContext m)
        {
            foreach (var e in Extracts.Daily)
            {
                for (var day = m.StartDay; day <= m.EndDay; day++)
                {
                    var (writer, name) = Create(e, day);
                    _dayWriters[(int)e][day - m.StartDay] = writer;
                    _dayNames[(int)e][day - m.StartDay] = name;
                    _dayLines[(int)e][day - m.StartDay] = 1;
                }
            }
        }

        private void CloseAll()
        {
            for (var e = 0; e < _writers.Length; e++)
            {
                _writers[e]?.Dispose();
                _writers[e] = null;
                for (var d = 0; d < _dayWriters[e].Length; d++)
                {
                    _dayWriters[e][d]?.Dispose();
                    _dayWriters[e][d] = null;
                }
            }
        }

        /// <summary>Chunks are simulated on the thread pool and written by this thread in chunk order,
        /// with a bounded number in flight so memory stays flat.</summary>
        private void Pipeline(string stage, Action<int, int, ChunkOutput> work, int forceMask)
        {
            var n = options.Subscribers;
            var chunks = (n + ChunkSize - 1) / ChunkSize;
            var inflight = new Queue<Task<ChunkOutput>>();
            var maxInflight = Environment.ProcessorCount * 2 + 2;
            var daily = _dailyMonth;
            long done = 0;
            for (var c = 0; c < chunks; c++)
            {
                ct.ThrowIfCancellationRequested();
                while (inflight.Count >= maxInflight)
                {
                    done = Consume(inflight.Dequeue(), stage, done);
                }

                var lo = c * ChunkSize;
                var hi = Math.Min(n, lo + ChunkSize);
                inflight.Enqueue(Task.Run(() =>
                {
                    if (!_pool.TryTake(out var o))
                    {
                        o = new ChunkOutput();
                    }

                    o.ForceMask = lo == 0 ? forceMask : 0;
                    o.DailyMonthStart = daily?.StartDay ?? 0;
                    work(lo, hi, o);
                    return o;
                }, ct));
            }

            while (inflight.Count > 0)
            {
                done = Consume(inflight.Dequeue(), stage, done);
            }
        }

        private long Consume(Task<ChunkOutput> task, string stage, long done)
        {
            var o = task.GetAwaiter().GetResult();
            for (var e = 0; e < Extracts.Count; e++)
            {
                Write(e, o.Buffers[e], _writers[e], _names[e], ref _lines[e]);
                var days = o.DayBuffers[e];
                for (var d = 0; d < days.Length; d++)
                {
                    if (days[d] is { } b)
                    {
                        Write(e, b, _dayWriters[e][d], _dayNames[e][d], ref _dayLines[e][d]);
                    }
                }
            }

            o.Clear();
            _pool.Add(o);
            done = Math.Min(options.Subscribers, done + ChunkSize);
            progress?.Report(new GeneratorProgress(stage, done, options.Subscribers));
            return done;
        }

        private void Write(int e, ExtractBuffer b, StreamWriter? writer, string? name, ref long lines)
        {
            if (b.Rows == 0)
            {
                return;
            }

            foreach (var (line, kind, subscriber) in b.Defects)
            {
                // Identifiers only: the defect log never holds personal data.
                _defects.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name},{lines + line},{Extracts.All[e].Name},S{subscriber + 1:D8},{kind}"));
            }

            writer!.Write(b.Sb);
            _rows[e] += b.Rows;
            lines += b.Lines;
        }

        private void WriteTruth()
        {
            var dir = Path.Combine(options.OutputDirectory, "_truth");
            Directory.CreateDirectory(dir);
            var subs = _sim.Subscribers;
            using (var w = new StreamWriter(Path.Combine(dir, "churn_truth.csv"), false, new UTF8Encoding(false), 1 << 16))
            {
                w.Write("subscriber_id,churn_month,propensity\n");
                var sb = new StringBuilder(64);
                for (var i = 0; i < subs.Length; i++)
                {
                    sb.Clear();
                    sb.Append('S').Padded(i + 1L, 8).C();
                    if (subs[i].ChurnAbs != Subscriber.NoChurn)
                    {
                        sb.Append(subs[i].ChurnAbs / 12).Append('-').Padded(subs[i].ChurnAbs % 12 + 1, 2);
                    }

                    sb.C().Append(subs[i].Hazard.ToString("0.00000", CultureInfo.InvariantCulture)).Append('\n');
                    w.Write(sb);
                }
            }

            using (var w = new StreamWriter(Path.Combine(dir, "defects.csv"), false, new UTF8Encoding(false)))
            {
                // Line numbers are physical lines of the file, the header being line 1.
                w.Write("file,line,extract,subscriber_id,defect\n");
                foreach (var d in _defects)
                {
                    w.Write(d);
                    w.Write('\n');
                }
            }
        }
    }
}
