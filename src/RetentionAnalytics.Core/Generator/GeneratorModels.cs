namespace RetentionAnalytics.Core.Generator;

/// <summary>What to generate. <see cref="Subscribers"/> counts every subscriber ever seen in the window,
/// including those who activate during it and those who churn.</summary>
public sealed record GeneratorOptions(int Subscribers, int Months, int Seed, string OutputDirectory)
{
    /// <summary>The last full month delivered (any day of that month; only year and month are used).</summary>
    public DateOnly EndMonth { get; init; } = new(2026, 10, 1);

    /// <summary>usage_day files are written for the last N days ending on the last day of <see cref="EndMonth"/> (with
    /// <see cref="DailyMonths"/>: the last N days before the daily months, then every day of them).</summary>
    public int DailyDays { get; init; } = 31;

    /// <summary>Real deliveries contain a few bad rows; the loader's rejection path needs them.</summary>
    public bool InjectDefects { get; init; } = true;

    /// <summary>
    /// The last N months are delivered the way the ODS runs every day: the event extracts (payments, recharges, account
    /// events, VAS orders, roaming, service contacts) and usage_day as one file per day, named by the day; a complaint
    /// closed later and a roaming session that ends later are delivered again on that day. The month-end snapshots
    /// come on the last day of the month. Earlier months are the monthly history; 0 delivers every month monthly.
    /// </summary>
    public int DailyMonths { get; init; }
}

public sealed record GeneratorProgress(string Stage, long Done, long Total);

public sealed record GeneratorResult(
    IReadOnlyList<string> Files,
    long Rows,
    IReadOnlyDictionary<string, long> RowsPerExtract,
    long DefectRows);
