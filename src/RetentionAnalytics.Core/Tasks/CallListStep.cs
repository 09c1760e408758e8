using Dapper;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Tasks;

/// <summary>After detection: the newest month's call lists, one campaign per call scenario (re-runs add only what is new).</summary>
public sealed class CallListStep(Db db, TaskGenerator generator, RegionClock clock) : IPipelineStep
{
    public int Order => 300;
    public string Name => "call-lists";

    public RunNotes Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        DateOnly? period;
        using (var c = db.Connect())
        {
            period = Etl.Loading.Loader.TableExists(c, "dw", "as_of")
                ? c.ExecuteScalar<DateOnly?>("select as_of_month from dw.as_of")
                : null;
        }
        if (period is null)
        {
            return new RunNotes(new RunNote("CallListsNoData"));
        }
        progress?.Report(new JobProgress(0, "call-lists", $"{period:yyyy-MM}"));
        // the province's today, not the server's: blacklist validity, the contact window and due dates
        var campaigns = generator.Generate(period.Value, new CallListOptions { Today = clock.Today });
        progress?.Report(new JobProgress(100, "call-lists", $"{campaigns.Count} campaign(s)"));
        return new RunNotes(new RunNote("CallLists", $"{period:yyyy-MM}", campaigns.Count, campaigns.Sum(x => x.Tasks),
            campaigns.Sum(x => x.Assigned), campaigns.Sum(x => x.Control)));
    }
}
