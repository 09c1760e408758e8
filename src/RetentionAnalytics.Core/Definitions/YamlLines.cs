using YamlDotNet.RepresentationModel;

namespace RetentionAnalytics.Core.Definitions;

/// <summary>
/// Where each node of a YAML definition starts, by path (<c>columns[3].expr</c>), so that a validation error can
/// name the line a person opens in an editor. A text that does not parse has no lines (every path is line 1).
/// </summary>
public sealed class YamlLines
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public static readonly YamlLines None = new();

    private YamlLines()
    {
    }

    public static YamlLines Of(string yaml)
    {
        var lines = new YamlLines();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 0)
            {
                lines.Visit(stream.Documents[0].RootNode, "");
            }
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // the deserializer reports the syntax error with its own position
        }
        return lines;
    }

    /// <summary>The 1-based line of the path, or of its nearest ancestor that has one.</summary>
    public int LineOf(string path)
    {
        for (var p = path; ; p = Parent(p))
        {
            if (_lines.TryGetValue(p, out var line))
            {
                return line;
            }
            if (p.Length == 0)
            {
                return 1;
            }
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private void Visit(YamlNode node, string path)
    {
        _lines.TryAdd(path, (int)node.Start.Line);
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode s ? s.Value ?? "" : "?";
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    _lines.TryAdd(child, (int)key.Start.Line);
                    Visit(value, child);
                    _lines[child] = (int)key.Start.Line;
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    Visit(seq.Children[i], $"{path}[{i}]");
                }
                break;
        }
    }
}
