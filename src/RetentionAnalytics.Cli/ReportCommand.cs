using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Audit;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra report ID [--param name=value ...] --as USERNAME --out FILE.xlsx|FILE.csv</c>: renders a report exactly as the
/// portal shows it to that account (its roles, scope and language) and writes it through the audited exporter.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Report id (reports/fixed/<id>.yaml) or view:<id>" };
        var parameters = new Option<string[]>("--param") { Description = "A report parameter, name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var asUser = new Option<string?>("--as") { Description = "Render for this portal account: its roles, region scope and language (required)" };
        var output = new Option<FileInfo>("--out") { Description = "Output file, .xlsx or .csv", Required = true };
        var command = new Command("report", "Render a fixed report for a portal account and write it to Excel or CSV")
        {
            id, parameters, asUser, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            // no anonymous province dump: a render always has a viewer whose scope limits the rows
            if (string.IsNullOrWhiteSpace(parse.GetValue(asUser)))
            {
                AnsiConsole.MarkupLine("[red]--as USERNAME is required: a report is rendered for an account's roles and region scope.[/]");
                return CliOptions.ExitFailed;
            }
            var file = parse.GetValue(output)!;
            ExportFileType type;
            switch (file.Extension.ToLowerInvariant())
            {
                case ".xlsx": type = ExportFileType.Xlsx; break;
                case ".csv": type = ExportFileType.Csv; break;
                default:
                    AnsiConsole.MarkupLine("[red]--out must end in .xlsx or .csv[/]");
                    return CliOptions.ExitFailed;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]--param {pair}: expected name=value[/]");
                    return CliOptions.ExitFailed;
                }
                values[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }

            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            using var services = Services(db);
            var reportId = parse.GetValue(id)!;
            try
            {
                var viewer = ReportViewers.ForUsername(db, parse.GetValue(asUser)!);
                var renderer = services.GetServices<IReportRenderer>().FirstOrDefault(r => r.Handles(reportId))
                    ?? throw new KeyNotFoundException($"no report '{reportId}'");
                var exporter = services.GetRequiredService<IExporter>();
                var table = await renderer.RenderAsync(reportId, values, viewer, ct);
                file.Directory?.Create();
                ExportResult result;
                await using (var stream = file.Create())
                {
                    result = exporter.Export(table, type, stream, new ExportAudit(viewer.Username, "report:" + reportId, "cli"));
                }
                AnsiConsole.MarkupLineInterpolated($"[green]{reportId}[/] for {viewer.Username}: {result.Rows:N0} rows written to {file.FullName}");
                return 0;
            }
            catch (Exception ex) when (ex is KeyNotFoundException or UnauthorizedAccessException or ArgumentException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return CliOptions.ExitFailed;
            }
        });
        return command;
    }

    /// <summary>The report services as the portal registers them: the fixed reports and the audited exporter.</summary>
    private static ServiceProvider Services(Db db)
    {
        var services = new ServiceCollection();
        services.AddSingleton(db);
        services.AddSingleton(ContractCatalog.Load(db.Options.Definitions));
        services.AddSingleton<RetentionAnalytics.Core.Definitions.DataRequirements>();
        services.AddSingleton<AuditLog>();
        services.AddExports();
        services.AddFixedReports();
        return services.BuildServiceProvider();
    }
}
