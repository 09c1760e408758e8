using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>A scenario as the catalogue (det.scenario) holds it, with the parameters in force.</summary>
public sealed record ScenarioInfo(
    string ScenarioId, string Kind, string NameEn, string NameDe, string NameZh, string? Description,
    string? TargetSegment, int Priority, string Action, bool Enabled, IReadOnlyList<ParameterValue> Parameters);

public sealed record CityAlerts(string CityCode, long Alerts);

public sealed record ScenarioRunResult(
    string ScenarioId, DateOnly Period, long RunId, long Alerts, TimeSpan Duration, string Status, string? Message,
    IReadOnlyList<CityAlerts> TopCities)
{
    public bool Succeeded => Status == "succeeded";
}

public sealed record AlertRow(
    string ScenarioId, DateOnly Period, string SubscriberId, string CityCode, string? ValueTier, double Score,
    string Evidence, string? EvidenceJson, string ParamsHash, long RunId);

/// <summary>
/// Runs the detectors for a period and writes <c>det.alert</c>: per scenario and period the old alerts are deleted and
/// the new ones inserted in one transaction, with the run recorded in <c>det.scenario_run</c>. Same period and
/// parameters give the same alerts; a re-run never duplicates.
/// </summary>
public sealed class DetectorRunner(
    Db db, ScenarioCatalog catalog, ScenarioParameters parameters, CustomRules rules, AuditLog audit,
    ILogger<DetectorRunner>? logger = null, Definitions.DataRequirements? requirements = null)
{
    private readonly ILogger _log = logger ?? NullLogger<DetectorRunner>.Instance;

    /// <summary>Writes det.scenario from the yaml definitions and the custom rules; returns the catalogue.</summary>
    public IReadOnlyList<ScenarioInfo> Sync()
    {
        var customRules = rules.All();
        using var c = db.Connect();
        var enabled = Switches(c);
        var rows = catalog.All.Select(d => new
        {
            scenario_id = d.Id, kind = d.Kind, name_en = d.Names.En, name_de = d.Names.De, name_zh = d.Names.Zh,
            description_en = (string?)d.Description.En, target_segment = d.TargetSegment?.En, priority = d.Priority, action = d.Action,
            enabled = enabled.GetValueOrDefault(d.Id, true),
        }).Concat(customRules.Select(r => new
        {
            // analysts name their rules in their own language; the catalogue shows that name in every language
            scenario_id = r.ScenarioId, kind = "custom", name_en = r.Name, name_de = r.Name, name_zh = r.Name,
            description_en = r.Description, target_segment = (string?)$"custom rule of {r.Owner}", priority = r.Priority,
            action = r.Action, enabled = r.Enabled,
        })).ToList();
        using (var tx = c.BeginTransaction())
        {
            c.Execute("delete from det.scenario", transaction: tx);
            // a few dozen catalogue rows, not a bulk write
            c.Execute("""
                insert into det.scenario (scenario_id, kind, name_en, name_de, name_zh, description_en, target_segment,
                    priority, action, enabled)
                values ($scenario_id, $kind, $name_en, $name_de, $name_zh, $description_en, $target_segment, $priority,
                    $action, $enabled)
                """, rows, tx);
            // alert campaigns are titled by their scenario's names
            CampaignTitles.Refresh(c, db, tx: tx);
            tx.Commit();
        }
        return rows.Select(r => new ScenarioInfo(r.scenario_id, r.kind, r.name_en, r.name_de, r.name_zh, r.description_en,
            r.target_segment, r.priority, r.action, r.enabled,
            r.kind == "custom" ? [] : parameters.Current(r.scenario_id))).ToList();
    }

    /// <summary>
    /// The scenarios switched on or off: the switches administrators set (operational data, shared by every node) over
    /// the catalogue's own flags, which hold the switches set before they were operational data. A scenario not in it is on.
    /// </summary>
    private Dictionary<string, bool> Switches(System.Data.IDbConnection warehouse)
    {
        var enabled = warehouse.Query<(string Id, bool Enabled)>("select scenario_id, enabled from det.scenario")
            .ToDictionary(r => r.Id, r => r.Enabled);
        using var ops = db.Ops.Connect();
        foreach (var (id, on) in ops.Query<(string Id, bool Enabled)>(db.Ops.Sql.Get("detect/switch_values.sql")))
        {
            enabled[id] = on;
        }
        return enabled;
    }

    /// <summary>Whether a scenario of the yaml catalogue runs with every detection run (see <see cref="SetEnabled"/>).</summary>
    public bool IsEnabled(string scenarioId)
    {
        using var c = db.Connect();
        return Switches(c).GetValueOrDefault(scenarioId, true);
    }

    /// <summary>Switches a scenario on or off for the runs of all scenarios (a custom rule: through its rule).</summary>
    public void SetEnabled(string scenarioId, bool enabled, string username)
    {
        if (rules.FindByScenarioId(scenarioId) is { } rule)
        {
            // a custom rule keeps its flag with the rule; the next sync copies it into the catalogue
            rules.Update(rule.RuleId, rule.Name, rule.Description, rule.DefinitionJson, rule.Priority, rule.Action, enabled, username);
            Sync();
            return;
        }
        _ = catalog.Find(scenarioId) ?? throw UnknownScenario(scenarioId);
        OpsDb.Replacing(() =>
        {
            // the switch it replaces, read in the transaction that replaces it; without one, the catalogue's flag
            var catalogued = IsEnabled(scenarioId);
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            var replaced = c.Query<bool>(db.Ops.Sql.Get("detect/switch_delete.sql"), new { scenarioId }, tx).ToList();
            var was = replaced.Count > 0 ? replaced[0] : catalogued;
            c.Execute(db.Ops.Sql.Get("detect/switch_insert.sql"), new { scenarioId, enabled, username }, tx);
            if (was != enabled)
            {
                // the page's history of changes shows the switch beside the parameters
                c.Execute(db.Ops.Sql.Get("detect/parameter_history_insert.sql"), new
                {
                    scenarioId, name = ParameterChange.Switch, oldValue = ParameterChange.OnOff(was), newValue = ParameterChange.OnOff(enabled), username,
                }, tx);
            }
            tx.Commit();
        });
        // audited as soon as it is in force; the catalogue follows (or the next run writes it)
        audit.Write(username, "parameter_change", scenarioId, detail: enabled ? "switched on" : "switched off");
        Sync();
    }

    /// <summary>The newest loaded month (dw.as_of.as_of_month): the period a run without one uses.</summary>
    public DateOnly DefaultPeriod()
    {
        var months = LoadedMonths();
        return months.Count > 0
            ? months[^1]
            : throw new ScenarioException(ScenarioRefusal.NoMonth, "the warehouse holds no month yet: load extracts first (ra load DIR)");
    }

    public IReadOnlyList<DateOnly> LoadedMonths()
    {
        using var c = db.Connect();
        if (c.ExecuteScalar<long>("select count(*) from information_schema.tables where table_schema = 'mart' and table_name = 'mart_retention_kpi_city_month'") == 0)
        {
            return [];
        }
        return c.Query<DateTime>(db.Sql.Get("detect/loaded_months.sql")).Select(DateOnly.FromDateTime).ToList();
    }

    /// <summary>The period as a loaded month start, or a clear error naming the months there are.</summary>
    public DateOnly CheckPeriod(DateOnly period)
    {
        var months = LoadedMonths();
        if (months.Count == 0)
        {
            throw new ScenarioException(ScenarioRefusal.NoMonth, "the warehouse holds no month yet: load extracts first (ra load DIR)");
        }
        var start = new DateOnly(period.Year, period.Month, 1);
        return months.Contains(start)
            ? start
            : throw new ScenarioException(ScenarioRefusal.NoDataForPeriod, $"no data for period {start:yyyy-MM}; loaded months are {months[0]:yyyy-MM} .. {months[^1]:yyyy-MM}",
                start.ToString("yyyy-MM", CultureInfo.InvariantCulture), months[0].ToString("yyyy-MM", CultureInfo.InvariantCulture), months[^1].ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    /// <summary>The detector of a scenario with the parameters in force, or with proposed ones laid over them.</summary>
    public DetectorQuery Query(string scenarioId, IReadOnlyDictionary<string, string>? proposed = null)
    {
        if (catalog.Find(scenarioId) is { } definition)
        {
            var values = parameters.Effective(scenarioId, proposed);
            var bound = definition.Parameters.ToDictionary(p => p.Name, p => (object?)p.Parse(scenarioId, values[p.Name]));
            var (json, hash) = ScenarioParameters.Fingerprint(values);
            return new DetectorQuery(scenarioId, catalog.SqlOf(scenarioId), bound, json, hash, RegionScope.WholeProvince);
        }
        if (rules.FindByScenarioId(scenarioId) is { } rule)
        {
            if (proposed is { Count: > 0 })
            {
                throw new ScenarioParameterException(ScenarioParameterRefusal.CustomRuleThresholds, $"{scenarioId} is a custom rule: its thresholds are part of the rule's conditions");
            }
            return rules.Compile(scenarioId, rule.Name, rule.Priority, rule.DefinitionJson, rule.Scope);
        }
        throw UnknownScenario(scenarioId);
    }

    /// <summary>
    /// Runs one scenario (enabled or not) or every enabled one for a period (default: the newest month). A failing
    /// detector is recorded as failed and the others still run.
    /// </summary>
    public IReadOnlyList<ScenarioRunResult> Run(DateOnly? period = null, string? scenarioId = null,
        IProgress<JobProgress>? progress = null, string trigger = "cli", CancellationToken ct = default)
    {
        // without subscriber snapshots there is nothing to detect on: say so before any detector reads a missing table
        requirements?.Require("detection", null);
        var month = period is { } p ? CheckPeriod(p) : DefaultPeriod();
        var catalogue = Sync();
        List<string> ids;
        if (scenarioId is null)
        {
            ids = catalogue.Where(s => s.Enabled).Select(s => s.ScenarioId).ToList();
        }
        else
        {
            ids = catalogue.Any(s => s.ScenarioId == scenarioId) ? [scenarioId] : throw UnknownScenario(scenarioId);
        }
        var results = new List<ScenarioRunResult>(ids.Count);
        // a run of all scenarios commits some twenty batches of alerts: DuckDB would checkpoint after every 16 MB of
        // log (each time rewriting the alert table); one checkpoint after the last batch costs a fraction of that
        if (ids.Count > 1)
        {
            using var c = db.Connect();
            c.Execute("set checkpoint_threshold = '1GB'");
        }
        try
        {
            for (var i = 0; i < ids.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new JobProgress(100.0 * i / ids.Count, "detect", ids[i]));
                // a scenario whose extracts were not delivered is skipped with the reason; the others still run
                var missing = catalog.Find(ids[i]) is { } definition && requirements is not null
                    ? requirements.Missing(definition.Requires)
                    : [];
                results.Add(missing.Count > 0
                    ? new ScenarioRunResult(ids[i], month, 0, 0, TimeSpan.Zero, "skipped", string.Join("; ", missing), [])
                    : RunOne(ids[i], month, trigger));
            }
        }
        finally
        {
            if (ids.Count > 1)
            {
                Checkpoint();
            }
        }
        progress?.Report(new JobProgress(100, "detect", $"{results.Sum(r => r.Alerts):N0} alerts"));
        return results;
    }

    /// <summary>The alerts of a scenario and period that the caller's region scope allows, most urgent first.</summary>
    public IReadOnlyList<AlertRow> Alerts(string scenarioId, DateOnly period, RegionScope scope, int limit = 1000)
    {
        var args = scope.AddTo(new DynamicParameters());
        args.Add("scenario_id", scenarioId);
        args.Add("period", period.ToDateTime(TimeOnly.MinValue));
        args.Add("limit", limit);
        using var c = db.Connect();
        return c.Query<AlertRow>(db.Sql.Get("detect/alerts_scoped.sql"), args).ToList();
    }

    public IReadOnlyList<ScenarioRunRecord> Runs(string? scenarioId = null, int limit = 100)
    {
        using var c = db.Connect();
        return c.Query<ScenarioRunRecord>("""
            select run_id as RunId, scenario_id as ScenarioId, period as Period, params_json as ParamsJson,
                   params_hash as ParamsHash, alerts as Alerts, duration_ms as DurationMs, status as Status,
                   message as Message, started_at as StartedAt, trigger_kind as TriggerKind
            from det.scenario_run
            where $scenarioId is null or scenario_id = $scenarioId
            order by run_id desc
            limit $limit
            """, new { scenarioId, limit }).ToList();
    }

    private void Checkpoint()
    {
        using var c = db.Connect();
        c.Execute("reset checkpoint_threshold");
        try
        {
            c.Execute("checkpoint");
        }
        catch (DuckDB.NET.Data.DuckDBException ex)
        {
            // another transaction is open (a portal reader): the automatic checkpoint will follow later
            _log.LogInformation("Checkpoint after detection deferred: {Message}", ex.Message);
        }
    }

    private ScenarioRunResult RunOne(string scenarioId, DateOnly period, string trigger)
    {
        var clock = Stopwatch.StartNew();
        var started = db.Clock.Now;
        using var c = db.Connect();
        var runId = c.ExecuteScalar<long>("select nextval('det.scenario_run_id_seq')");
        DetectorQuery? query = null;
        try
        {
            query = Query(scenarioId);
            var insert = query.WrappedIn(db.Sql.Get("detect/insert_alerts.sql"));
            using var tx = c.BeginTransaction();
            c.Execute("delete from det.alert where scenario_id = $scenarioId and period = $period",
                new { scenarioId, period = period.ToDateTime(TimeOnly.MinValue) }, tx);
            // the insert reports the rows it wrote: no second read of the alerts to count them
            long alerts = c.Execute(insert, query.Bind(insert, period, RegionScope.WholeProvince,
                new { scenario_id = scenarioId, params_hash = query.ParamsHash, run_id = runId }), tx, commandTimeout: 0);
            Record(c, tx, runId, scenarioId, period, query, alerts, clock.Elapsed, "succeeded", null, started, trigger);
            tx.Commit();
            var top = c.Query<CityAlerts>(db.Sql.Get("detect/run_summary_cities.sql"),
                new { scenario_id = scenarioId, period = period.ToDateTime(TimeOnly.MinValue) }).ToList();
            _log.LogInformation("Scenario {Scenario} {Period:yyyy-MM}: {Alerts} alerts in {Ms} ms", scenarioId, period, alerts, clock.ElapsedMilliseconds);
            return new ScenarioRunResult(scenarioId, period, runId, alerts, clock.Elapsed, "succeeded", null, top);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the message comes from the SQL engine or our validation: identifiers and SQL, never subscriber data
            var message = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
            Record(c, null, runId, scenarioId, period, query, 0, clock.Elapsed, "failed", message, started, trigger);
            _log.LogError("Scenario {Scenario} {Period:yyyy-MM} failed: {Message}", scenarioId, period, message);
            return new ScenarioRunResult(scenarioId, period, runId, 0, clock.Elapsed, "failed", message, []);
        }
    }

    private static void Record(System.Data.IDbConnection c, System.Data.IDbTransaction? tx, long runId, string scenarioId,
        DateOnly period, DetectorQuery? query, long alerts, TimeSpan duration, string status, string? message,
        DateTime started, string trigger) =>
        c.Execute("""
            insert into det.scenario_run (run_id, scenario_id, period, params_json, params_hash, alerts, duration_ms,
                status, message, started_at, trigger_kind)
            values ($runId, $scenarioId, $period, $paramsJson, $paramsHash, $alerts, $durationMs, $status, $message,
                $started, $trigger)
            """, new
        {
            runId, scenarioId, period = period.ToDateTime(TimeOnly.MinValue), paramsJson = query?.ParamsJson ?? "{}",
            paramsHash = query?.ParamsHash ?? "", alerts, durationMs = (long)duration.TotalMilliseconds, status, message,
            started, trigger,
        }, tx);

    private ScenarioException UnknownScenario(string scenarioId) =>
        new(ScenarioRefusal.UnknownScenario, $"unknown scenario {scenarioId}; known: {string.Join(", ", catalog.All.Select(d => d.Id))}" +
            (rules.All().Count > 0 ? " and custom rules custom_<id> (ra detect --list)" : ""), scenarioId);
}

public sealed record ScenarioRunRecord(
    long RunId, string ScenarioId, DateOnly Period, string ParamsJson, string ParamsHash, long Alerts, long DurationMs,
    string Status, string? Message, DateTime StartedAt, string TriggerKind);
