using System.Globalization;
using Quartz;

namespace RetentionAnalytics.Core.Delivery;

public enum ScheduleKind { Daily, Weekly, Monthly }

/// <summary>
/// When a subscription is delivered: daily at HH:mm, weekly on a weekday, or monthly on day 1..28 (so every month has
/// it). Stored as a Quartz cron expression, which also finds the next due time.
/// </summary>
/// <param name="Day">Weekly: ISO weekday 1 (Monday) .. 7 (Sunday); monthly: 1 .. 28; daily: ignored.</param>
public sealed record DeliverySchedule(ScheduleKind Kind, TimeOnly Time, int Day = 1)
{
    private static readonly string[] QuartzDays = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

    public string Cron
    {
        get
        {
            Validate();
            var at = $"0 {Time.Minute} {Time.Hour}";
            return Kind switch
            {
                ScheduleKind.Daily => $"{at} ? * *",
                ScheduleKind.Weekly => $"{at} ? * {QuartzDays[Day - 1]}",
                _ => $"{at} {Day.ToString(CultureInfo.InvariantCulture)} * ?",
            };
        }
    }

    /// <summary>The first due time strictly after <paramref name="after"/> (local time, as the portal's clock).</summary>
    public DateTime NextAfter(DateTime after) => NextAfter(Cron, after);

    public static DateTime NextAfter(string cron, DateTime after)
    {
        var next = new CronExpression(cron) // local time, as the portal's clock
            .GetNextValidTimeAfter(new DateTimeOffset(after, TimeZoneInfo.Local.GetUtcOffset(after)));
        return next?.LocalDateTime ?? throw new InvalidOperationException($"The schedule '{cron}' has no next time.");
    }

    public void Validate()
    {
        switch (Kind)
        {
            case ScheduleKind.Weekly when Day is < 1 or > 7:
                throw new ArgumentException("A weekly schedule needs a weekday from 1 (Monday) to 7 (Sunday).", nameof(Day));
            case ScheduleKind.Monthly when Day is < 1 or > 28:
                throw new ArgumentException("A monthly schedule needs a day from 1 to 28.", nameof(Day));
        }
    }
}
