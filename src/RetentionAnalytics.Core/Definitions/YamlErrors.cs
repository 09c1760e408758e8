using YamlDotNet.Core;

namespace RetentionAnalytics.Core.Definitions;

/// <summary>What a YAML reader's exception says to the person who wrote the file.</summary>
public static class YamlErrors
{
    /// <summary>
    /// The reason of a YAML syntax or shape error: the reader's own message (a misspelt key, a value of the wrong type),
    /// except when the reader stopped on an internal state error (an unclosed flow sequence or mapping can end so), which
    /// says nothing about the file: then where to look.
    /// </summary>
    public static string Reason(YamlException ex) => ex.InnerException switch
    {
        null => ex.Message,
        InvalidOperationException => "the reader could not go on here; look above for a bracket [ or brace { or a quote that is never closed",
        var inner => inner.Message,
    };
}
