namespace RetentionAnalytics.Core.Etl.Loading;

/// <summary>
/// Finds the blank lines DuckDB's CSV reader skips, numbered as the reader numbers lines: a line break inside a quoted
/// field does not count, the header is line 1. Quotes are read as the reader reads them (RFC 4180): a quote opens a
/// quoted field only at the start of a field, and a doubled quote inside one is a quote character; a quote anywhere else
/// is text. Fed the bytes of each line (possibly in pieces, as chunks of the file arrive) and then its end.
/// </summary>
internal sealed class BlankLineFinder(char quote, char delimiter)
{
    /// <summary>
    /// Blank lines kept by number (8 bytes each: a double-spaced file of ten million rows); a file with more is numbered by
    /// its records, as if it had none.
    /// </summary>
    public const int MaxBlankLines = 10_000_000;

    private readonly byte _quote = (byte)quote;
    private readonly byte _delimiter = (byte)delimiter;
    private readonly bool _quotes = quote != '\0';
    private readonly List<long> _blank = [];
    private long _recordLines;          // lines ended outside a quoted field
    private long _lastRecordLine;       // the last of them that held something
    private bool _inQuote, _quoteInQuote, _fieldStart = true, _truncated;
    private long _length;               // bytes of the current line so far
    private byte _last;                 // its last byte

    /// <summary>Bytes of the current line (without its line break).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        _length += bytes.Length;
        _last = bytes[^1];
        if (!_quotes || (!_inQuote && bytes.IndexOf(_quote) < 0))
        {
            // no quote to open or close: only whether the next byte starts a field matters
            _fieldStart = !_inQuote && bytes[^1] == _delimiter;
            return;
        }
        foreach (var b in bytes)
        {
            if (_inQuote)
            {
                if (_quoteInQuote)
                {
                    _quoteInQuote = false;
                    if (b == _quote)
                    {
                        continue;   // a doubled quote: a quote character in the field
                    }
                    _inQuote = false;
                }
                else
                {
                    _quoteInQuote = b == _quote;
                    continue;
                }
            }
            if (b == _quote && _fieldStart)
            {
                (_inQuote, _fieldStart) = (true, false);
                continue;
            }
            _fieldStart = b == _delimiter;
        }
    }

    /// <summary>The current line ends with a line break.</summary>
    public void Break()
    {
        if (_quoteInQuote)
        {
            // the quoted field closed at the end of the line
            (_inQuote, _quoteInQuote) = (false, false);
        }
        if (!_inQuote)
        {
            var blank = _length == 0 || (_length == 1 && _last == (byte)'\r');
            _recordLines++;
            if (!blank)
            {
                _lastRecordLine = _recordLines;
            }
            else if (_recordLines > 1)
            {
                if (_blank.Count < MaxBlankLines)
                {
                    _blank.Add(_recordLines);
                }
                else
                {
                    _truncated = true;
                }
            }
            _fieldStart = true;
        }
        _length = 0;
    }

    /// <summary>
    /// The blank lines above the last line that holds something, and how many follow it (they move no row); none when
    /// there were too many to keep.
    /// </summary>
    public (IReadOnlyList<long> Above, int Below) Lines()
    {
        if (_truncated)
        {
            return ([], 0);
        }
        var lastContent = _length > 0 ? _recordLines + 1 : _lastRecordLine;
        var end = _blank.Count;
        while (end > 0 && _blank[end - 1] > lastContent)
        {
            end--;
        }
        return (end == _blank.Count ? _blank : _blank.GetRange(0, end), _blank.Count - end);
    }
}
