using System.CommandLine;
using RetentionAnalytics.Core.Publishing;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra publish parquet DIR</c>: the facts and marts as Hive-partitioned Parquet with a manifest, for readers outside
/// the portal (docs/deploy.md). DIR is replaced as a whole when the new publication is complete.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR")
        {
            Description = "Folder to publish to: new, empty, or an earlier publication (replaced when the new one is complete)",
        };
        var parquet = new Command("parquet",
            "Write the facts (dw.fct_*) and marts (mart.*) as Parquet partitioned by month and city_code where a table has them, "
            + "with manifest.json (tables, columns, partition keys, rows, totals, file checksums, source warehouse build). "
            + "Read back with DuckDB: read_parquet('DIR/dw/fct_bill/**/*.parquet', hive_partitioning = true, "
            + "hive_types = {'bill_month': DATE, 'city_code': VARCHAR}). Exit 0: published; 1: nothing written (reason shown); 3: warehouse in use")
        {
            directory,
        };
        parquet.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var target = Path.GetFullPath(parse.GetValue(directory)!);
            try
            {
                var manifest = new ParquetPublisher(db).Publish(target,
                    new SyncProgress<string>(line => AnsiConsole.MarkupLineInterpolated($"  {line}")));
                AnsiConsole.MarkupLineInterpolated(
                    $"[green]Published[/] {manifest.Tables.Count} table(s), {manifest.Tables.Sum(t => t.Rows):N0} rows, {manifest.Tables.Sum(t => t.Files.Count):N0} file(s) to {target} (as of {manifest.Source.AsOfDate:yyyy-MM-dd}, last load {manifest.Source.LastLoadId}).");
                return 0;
            }
            catch (PublishException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return CliOptions.ExitFailed;
            }
            catch (IOException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Could not write {target}: {ex.Message}. Nothing was replaced.[/]");
                return CliOptions.ExitFailed;
            }
            catch (UnauthorizedAccessException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Could not write {target}: {ex.Message}. Nothing was replaced.[/]");
                return CliOptions.ExitFailed;
            }
        });
        return new Command("publish", "Publish the warehouse for readers outside the portal") { parquet };
    }
}
