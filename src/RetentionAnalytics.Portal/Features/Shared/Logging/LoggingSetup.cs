using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace RetentionAnalytics.Portal.Features.Shared.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog to the console and a daily rolling file under <c>data/logs</c> (config <c>Logs:Folder</c>), both through
    /// <see cref="LogEncodingSink"/> so that no logged value carries a control character. Log lines carry identifiers
    /// only (job names, run and load ids, file names) as structured properties: customer data stays in the warehouse,
    /// which is why pipeline failures are logged by exception type and not by message.
    /// </summary>
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        var folder = PortalPaths.Resolve(builder.Configuration["Logs:Folder"], "data", "logs");

        builder.Services.AddSerilog((_, log) =>
        {
            log.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext();
            log.WriteTo.Sink(LoggerSinkConfiguration.Wrap(sink => new LogEncodingSink(sink), sinks =>
            {
                sinks.Console();
                sinks.File(Path.Combine(folder, "portal-.log"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14);
            }));
        });
        return builder;
    }
}
