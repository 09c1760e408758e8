using System.Collections.Concurrent;
using System.Text;

namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>Where in the walk something was seen: the page (route or sub-page), the step on it, who, in which language, how wide.</summary>
public sealed record WalkPoint(string Role, string Account, string Language, int Width, string Page, string Step)
{
    public string Describe() => $"{Page}{(Step.Length == 0 ? "" : " → " + Step)} as {Role} ({Account}), {Language}, {Width} px";
}

/// <summary>One thing a user would trip over, with the screenshot of the moment.</summary>
public sealed record WalkFinding(WalkPoint At, string Cause, string Detail, string? Screenshot);

/// <summary>
/// What the walk saw, from every browser context at once: findings, the visible text of each page state (for the
/// language check), the screenshots and how long each context took.
/// </summary>
public sealed class WalkRecorder(string outputFolder, IReadOnlyDictionary<string, string> roleOfAccount)
{
    public const string BlazorError = "Blazor error UI";
    public const string ServerError = "HTTP 5xx";
    public const string PageError = "uncaught browser error";
    public const string ConsoleError = "console error";
    public const string Overflow = "horizontal overflow";
    public const string Truncated = "value cut off in a grid";
    public const string NotInLanguage = "text not in the page's language";
    public const string Unreachable = "page or interaction failed";

    private readonly ConcurrentQueue<WalkFinding> _findings = new();
    private readonly ConcurrentDictionary<(string Account, string Page, string Step, int Width, string Language), IReadOnlyList<string>> _texts = new();
    private readonly ConcurrentQueue<string> _screenshots = new();
    private readonly ConcurrentQueue<(string Context, TimeSpan Took, int Checkpoints)> _contexts = new();
    private readonly ConcurrentQueue<string> _trace = new();

    public string OutputFolder { get; } = outputFolder;

    public IReadOnlyList<WalkFinding> Findings => [.. _findings];
    public IReadOnlyList<string> Screenshots => [.. _screenshots];
    public IReadOnlyList<(string Context, TimeSpan Took, int Checkpoints)> Contexts => [.. _contexts];

    public void Add(WalkPoint at, string cause, string detail, string? screenshot = null) =>
        _findings.Enqueue(new WalkFinding(at, cause, detail, screenshot));

    public void Text(WalkPoint at, IReadOnlyList<string> fragments) =>
        _texts[(at.Account, at.Page, at.Step, at.Width, at.Language)] = fragments;

    public void Screenshot(string path) => _screenshots.Enqueue(path);

    public void Context(string name, TimeSpan took, int checkpoints) => _contexts.Enqueue((name, took, checkpoints));

    /// <summary>How long each page took (trace.log beside the screenshots): where the walk's time goes.</summary>
    public void Trace(WalkPoint at, string what, TimeSpan took) =>
        _trace.Enqueue($"{DateTime.Now:HH:mm:ss.fff} {at.Account} {at.Language} {at.Width} {at.Page} {at.Step}: {what} {took.TotalMilliseconds:N0} ms");

    public IReadOnlyList<string> TraceLines => [.. _trace];

    public string ScreenshotPath(WalkPoint at)
    {
        var name = Safe(at.Page) + (at.Step.Length == 0 ? "" : "--" + Safe(at.Step)) + ".png";
        return Path.Combine(OutputFolder, Safe(at.Role), $"{at.Language}-{at.Width}", name);
    }

    /// <summary>
    /// German and Chinese page states compared with the English rendering of the same state: a visible string that is
    /// identical and reads as English words (not data, names, numbers or the allowed product terms) was not translated.
    /// </summary>
    public void CheckLanguages(Func<WalkPoint, string?> screenshotOf)
    {
        foreach (var ((account, page, step, width, language), fragments) in _texts)
        {
            if (language == "en" || !_texts.TryGetValue((account, page, step, width, "en"), out var english))
            {
                continue;
            }
            var englishSet = english.ToHashSet(StringComparer.Ordinal);
            var left = fragments.Where(f => englishSet.Contains(f) && LanguageCheck.ReadsAsEnglish(f, language)).Distinct().ToList();
            if (left.Count > 0)
            {
                var at = new WalkPoint(roleOfAccount.GetValueOrDefault(account, account), account, language, width, page, step);
                Add(at, NotInLanguage, string.Join(" | ", left.Take(8).Select(t => $"\"{Clip(t, 80)}\"")) + (left.Count > 8 ? $" (+{left.Count - 8} more)" : ""),
                    screenshotOf(at));
            }
        }
    }

    /// <summary>The findings grouped by page and cause, each with who, language and width, and the screenshot.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        foreach (var page in Findings.GroupBy(f => f.At.Page).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"## {page.Key}");
            foreach (var cause in page.GroupBy(f => f.Cause).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"- {cause.Key} ({cause.Count()}):");
                foreach (var same in cause.GroupBy(f => (f.At.Step, f.Detail)).OrderBy(g => g.Key.Step, StringComparer.Ordinal).Take(12))
                {
                    var where = string.Join(", ", same.Select(f => $"{f.At.Account} {f.At.Language} {f.At.Width}").Distinct().Take(10));
                    var shot = same.Select(f => f.Screenshot).FirstOrDefault(s => s is not null);
                    text.AppendLine($"  - {(same.Key.Step.Length == 0 ? "" : $"[{same.Key.Step}] ")}{Clip(same.Key.Detail, 400)}");
                    text.AppendLine($"    at: {where}{(same.Count() > 10 ? $" (+{same.Count() - 10})" : "")}");
                    if (shot is not null)
                    {
                        text.AppendLine($"    screenshot: {Path.GetRelativePath(OutputFolder, shot)}");
                    }
                }
                if (cause.GroupBy(f => (f.At.Step, f.Detail)).Count() > 12)
                {
                    text.AppendLine($"  - … {cause.GroupBy(f => (f.At.Step, f.Detail)).Count() - 12} more distinct findings");
                }
            }
        }
        return text.ToString();
    }

    public static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Safe(string name) =>
        string.Concat(name.Trim('/').Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '-')) is { Length: > 0 } s ? s : "start";
}
