using System.CommandLine;
using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Quality;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class StatusCommand
{
    private sealed record LoadRow(long LoadId, string Extract, string FileName, DateTime? BusinessDate, string Status,
        long RowsRead, long RowsLoaded, long RowsRejected, long DurationMs, string? Message);

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var limit = new Option<int>("--limit") { Description = "Most recent loads to list", DefaultValueFactory = _ => 30 };
        var command = new Command("status", "Load audit and data-quality summary") { json, limit };
        command.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            using var c = db.Connect();
            var loads = c.Query<LoadRow>(db.Sql.Get("cli/status_loads.sql"), new { limit = parse.GetValue(limit) }).ToList();
            var totals = c.QuerySingle<(long Files, long Read, long Loaded, long Rejected)>(db.Sql.Get("cli/status_totals.sql"));
            var quality = new QualityChecks(db, ContractCatalog.LoadFolder(db.Options.ContractRoot)).Latest();

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    database = db.Options.DatabasePath,
                    totals = new { files = totals.Files, rowsRead = totals.Read, rowsLoaded = totals.Loaded, rowsRejected = totals.Rejected },
                    loads,
                    quality,
                }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }

            AnsiConsole.MarkupLineInterpolated($"Warehouse [green]{db.Options.DatabasePath}[/]: {totals.Files:N0} file(s) loaded, {totals.Read:N0} rows read = {totals.Loaded:N0} loaded + {totals.Rejected:N0} rejected");
            var table = new Table().AddColumns("load", "extract", "file", "date", "status", "read", "loaded", "rejected", "ms");
            foreach (var l in loads)
            {
                table.AddRow($"{l.LoadId}", l.Extract, Markup.Escape(l.FileName), $"{l.BusinessDate:yyyy-MM-dd}", l.Status,
                    $"{l.RowsRead:N0}", $"{l.RowsLoaded:N0}", $"{l.RowsRejected:N0}", $"{l.DurationMs:N0}");
            }
            AnsiConsole.Write(table);
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
}
