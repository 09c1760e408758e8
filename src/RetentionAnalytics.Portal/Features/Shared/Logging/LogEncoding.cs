using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace RetentionAnalytics.Portal.Features.Shared.Logging;

/// <summary>
/// Log injection: every sink gets the event with its control characters encoded — CR, LF, NUL, tab and the other C0
/// controls, DEL, the C1 controls and the Unicode line and paragraph separators become <c>\r</c>, <c>\n</c>,
/// <c>\0</c>, <c>\t</c> or <c>\uXXXX</c> — in the message template's text, in every property value (however deeply
/// nested, whatever its type) and in exception messages. A value from a request therefore stays on its own line
/// and can never forge a line of its own. Stack traces keep their line breaks: they come from code, not input.
/// </summary>
public sealed class LogEncodingSink(ILogEventSink inner) : ILogEventSink, IDisposable
{
    /// <summary>The file sink flushes when the logger is disposed at shutdown.</summary>
    public void Dispose() => (inner as IDisposable)?.Dispose();

    public void Emit(LogEvent logEvent)
    {
        var template = NeedsEncoding(logEvent.MessageTemplate.Text)
            ? new MessageTemplate(logEvent.MessageTemplate.Tokens.Select(t => t is TextToken text ? new TextToken(Encode(text.Text)) : t))
            : logEvent.MessageTemplate;
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Encode(p.Value)));
        var exception = logEvent.Exception is { } ex ? new EncodedException(ex) : null;
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    public static bool IsControl(char ch) => ch < 0x20 || ch is >= '\u007f' and <= '\u009f' or '\u2028' or '\u2029';

    public static bool NeedsEncoding(string text)
    {
        foreach (var ch in text)
        {
            if (IsControl(ch))
            {
                return true;
            }
        }
        return false;
    }

    public static string Encode(string text)
    {
        if (!NeedsEncoding(text))
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when IsControl(ch) => "\\u" + ((int)ch).ToString("x4", CultureInfo.InvariantCulture),
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    private static LogEventPropertyValue Encode(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => NeedsEncoding(s) ? new ScalarValue(Encode(s)) : value,
        ScalarValue { Value: null or bool or char or byte or sbyte or short or ushort or int or uint or long or ulong
            or float or double or decimal or DateTime or DateTimeOffset or TimeSpan or Guid or DateOnly or TimeOnly } => Char(value),
        // anything else is rendered through its ToString(): a path, a query string, a URI, a header value
        ScalarValue { Value: { } other } => Convert.ToString(other, CultureInfo.InvariantCulture) is { } text && NeedsEncoding(text)
            ? new ScalarValue(Encode(text)) : value,
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Encode)),
        StructureValue structure => new StructureValue(
            structure.Properties.Select(p => new LogEventProperty(p.Name, Encode(p.Value))), structure.TypeTag is { } tag ? Encode(tag) : null),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Encode(e.Key), Encode(e.Value)))),
        _ => value,
    };

    private static LogEventPropertyValue Char(LogEventPropertyValue value) =>
        value is ScalarValue { Value: char ch } && IsControl(ch) ? new ScalarValue(Encode(ch.ToString())) : value;

    /// <summary>The exception as the sinks print it: type, encoded message, inner exceptions, the stack as thrown.</summary>
    private sealed class EncodedException(Exception original) : Exception(Encode(original.Message))
    {
        public override string? StackTrace => original.StackTrace;

        public override string ToString() => Describe(original);

        private static string Describe(Exception ex)
        {
            var sb = new StringBuilder();
            sb.Append(ex.GetType().FullName).Append(": ").Append(Encode(ex.Message));
            if (ex.InnerException is { } inner)
            {
                sb.Append(" ---> ").Append(Describe(inner)).AppendLine().Append("   --- End of inner exception stack trace ---");
            }
            if (ex.StackTrace is { } stack)
            {
                sb.AppendLine().Append(stack);
            }
            return sb.ToString();
        }
    }
}
