using RetentionAnalytics.Portal.Features.Shared.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// Issue 13 item 5: CR/LF and NUL in a query value went raw into the console and file logs, so a caller could forge
/// log lines. The portal's sinks are wrapped in <see cref="LogEncodingSink"/>; here it formats with the console's and
/// file's default template into text, and the text is read back line by line.
/// </summary>
public sealed class LogEncodingTests
{
    private sealed class TextSink(TextWriter writer) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _format =
            new("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", null);

        public void Emit(LogEvent logEvent) => _format.Format(logEvent, writer);
    }

    private static string[] Logged(Action<ILogger> log)
    {
        var text = new StringWriter();
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new LogEncodingSink(new TextSink(text))).CreateLogger())
        {
            log(logger);
        }
        return text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    private const string Forged = "x\r\n[08:00:00 INF] Signed in admin\0\u001b[31m\u2028done";

    [Fact]
    public void A_value_with_line_breaks_stays_on_its_own_line_in_properties_templates_and_exceptions()
    {
        var lines = Logged(log =>
        {
            log.Warning("Refused export with expired={Expired}", Forged);
            log.Warning("Refused " + Forged);
            log.Warning("Nested {@Request}", new { Query = new[] { Forged }, Path = new Uri("http://127.0.0.1/a%0d%0ab") });
            log.Error(new InvalidOperationException("bad value " + Forged, new FormatException(Forged)), "Failed with {Type}", "x");
        });

        Assert.DoesNotContain(lines, l => l.StartsWith("[08:00:00 INF]", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(l, c => c < 0x20 || c == '\u2028'));
        Assert.Contains(lines, l => l.Contains("x\\r\\n[08:00:00 INF] Signed in admin\\0\\u001b[31m\\u2028done", StringComparison.Ordinal));
        Assert.Equal(4, lines.Count(l => l.StartsWith('[')));
        // the exception keeps its type, its encoded messages and its stack (no stack here: never thrown)
        Assert.Contains(lines, l => l.StartsWith("System.InvalidOperationException: bad value x\\r\\n", StringComparison.Ordinal)
            && l.Contains("---> System.FormatException: x\\r\\n", StringComparison.Ordinal));
    }

    [Fact]
    public void A_thrown_exception_keeps_its_stack_trace_lines()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("line one\nline two");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var lines = Logged(log => log.Error(thrown, "Pipeline failed"));

        Assert.Contains(lines, l => l == "System.InvalidOperationException: line one\\nline two");
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at RetentionAnalytics.Tests", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_values_are_left_as_they_are()
    {
        var lines = Logged(log => log.Information("Pipeline {JobName} loaded {Rows} rows", "inbox-poll", 1234));

        Assert.EndsWith("INF] Pipeline inbox-poll loaded 1234 rows", Assert.Single(lines));
    }
}
