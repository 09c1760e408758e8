using System.CommandLine;
using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Etl.Quality;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class StatusCommand
{
    private sealed record LoadRow(long LoadId, string Extract, string FileName, DateOnly? BusinessDate, string Status,
        long RowsRead, long RowsLoaded, long RowsRejected, long DurationMs, string? Message)
    {
        public IReadOnlyList<ReasonRow> TopReasons { get; set; } = [];
    }

    private sealed record ReasonRow(long LoadId, string Reason, long Rows);

    private sealed record Totals(long Files, long Read, long Loaded, long Rejected, long Superseded, long NeedAttention);

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var limit = new Option<int>("--limit") { Description = "Most recent loads to list", DefaultValueFactory = _ => 30 };
        var command = new Command("status", "Load audit (current loads, held and refused files, top rejection reasons) and data-quality summary") { json, limit };
        command.SetAction(parse =>
        {
            CliOptions.WideWhenRedirected();
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            using var c = db.Connect();
            var loads = c.Query<LoadRow>(db.Sql.Get("cli/status_loads.sql"), new { limit = parse.GetValue(limit) }).ToList();
            var reasons = c.Query<ReasonRow>(db.Sql.Get("cli/status_top_reasons.sql"), new { oldest_listed = loads.Count == 0 ? long.MaxValue : loads.Min(l => l.LoadId) })
                .ToLookup(r => r.LoadId);
            foreach (var l in loads)
            {
                l.TopReasons = reasons[l.LoadId].ToList();
            }
            var totals = c.QuerySingle<Totals>(db.Sql.Get("cli/status_totals.sql"));
            var held = c.Query<LoadRow>(db.Sql.Get("cli/status_held.sql")).ToList();
            var quality = QualityChecks.Latest(db);

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    database = db.Options.DatabasePath,
                    totals = new
                    {
                        files = totals.Files, rowsRead = totals.Read, rowsLoaded = totals.Loaded, rowsRejected = totals.Rejected,
                        superseded = totals.Superseded, needAttention = totals.NeedAttention,
                    },
                    loads,
                    held,
                    quality,
                }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated(
                $"Warehouse [green]{db.Options.DatabasePath}[/]: {totals.Files:N0} current file(s), {totals.Read:N0} rows read = {totals.Loaded:N0} loaded + {totals.Rejected:N0} rejected");
            AnsiConsole.MarkupLineInterpolated(
                $"Not counted: {totals.Superseded:N0} superseded file(s); {totals.NeedAttention:N0} file(s) that need a person (held, rejected, failed, conflict, stale, unrecognised).");
            var table = new Table().AddColumns("load", "extract", "file", "date", "status", "read", "loaded", "rejected", "top rejection reasons");
            foreach (var l in loads)
            {
                var why = l.TopReasons.Count > 0
                    ? string.Join("\n", l.TopReasons.Select(r => $"{r.Rows:N0} × {r.Reason}"))
                    : l.Status is "loaded" or "duplicate" or "superseded" ? "" : l.Message ?? "";
                table.AddRow($"{l.LoadId}", l.Extract, Markup.Escape(l.FileName), $"{l.BusinessDate:yyyy-MM-dd}", Colour(l.Status),
                    $"{l.RowsRead:N0}", $"{l.RowsLoaded:N0}", $"{l.RowsRejected:N0}", Markup.Escape(why));
            }
            AnsiConsole.Write(table);
            if (held.Count > 0)
            {
                AnsiConsole.MarkupLine("[yellow]Held for review[/] (release with ra release ID, discard with ra release ID --discard):");
                var h = new Table().AddColumns("load", "extract", "file", "date", "read", "kept", "rejected", "why");
                foreach (var l in held)
                {
                    h.AddRow($"{l.LoadId}", l.Extract, Markup.Escape(l.FileName), $"{l.BusinessDate:yyyy-MM-dd}", $"{l.RowsRead:N0}",
                        $"{l.RowsLoaded:N0}", $"{l.RowsRejected:N0}", Markup.Escape((l.Message ?? "").Split(';')[0]));
                }
                AnsiConsole.Write(h);
            }
            var failing = quality.Where(q => q.Status != "pass").ToList();
            AnsiConsole.MarkupLineInterpolated($"Data quality: {quality.Count(q => q.Status == "pass")} pass, {quality.Count(q => q.Status == "warn")} warn, {quality.Count(q => q.Status == "fail")} fail");
            if (failing.Count > 0)
            {
                var dq = new Table().AddColumns("extract", "check", "column", "status", "failing", "detail");
                foreach (var q in failing)
                {
                    dq.AddRow(q.Extract, q.CheckName, q.ColumnName ?? "", q.Status, $"{q.FailingRows:N0}", Markup.Escape(q.Detail ?? ""));
                }
                AnsiConsole.Write(dq);
            }
            return 0;
        });
        return command;
    }

    private static string Colour(string status) => status switch
    {
        "loaded" => "[green]loaded[/]",
        "duplicate" or "superseded" or "discarded" => $"[grey]{status}[/]",
        "held" => "[yellow]held[/]",
        _ => $"[red]{Markup.Escape(status)}[/]",
    };
}
