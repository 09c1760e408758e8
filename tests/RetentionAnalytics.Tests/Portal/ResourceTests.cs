using System.Reflection;
using System.Xml.Linq;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>Every text the portal shows (its own and the run summaries of the core) exists in English, German and Simplified Chinese: no page falls back to a key or to English.</summary>
public sealed class ResourceTests
{
    public static TheoryData<string> NeutralFiles => new(
        Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "src"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileNameWithoutExtension(f).IndexOf('.') < 0)
            .Select(f => Path.GetRelativePath(PortalHost.RepositoryRoot, f)));

    private static Dictionary<string, string> Texts(string file) =>
        XDocument.Load(file).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [Theory]
    [MemberData(nameof(NeutralFiles))]
    public void Each_resource_has_the_same_non_empty_texts_in_german_and_chinese(string neutral)
    {
        var english = Texts(Path.Combine(PortalHost.RepositoryRoot, neutral));
        Assert.NotEmpty(english);
        foreach (var culture in new[] { "de", "zh-Hans" })
        {
            var file = Path.Combine(PortalHost.RepositoryRoot, Path.ChangeExtension(neutral, $".{culture}.resx"));
            Assert.True(File.Exists(file), $"{file} is missing");
            var translated = Texts(file);
            Assert.Empty(english.Keys.Except(translated.Keys).Select(k => $"{culture} lacks {k}"));
            Assert.Empty(translated.Keys.Except(english.Keys).Select(k => $"{culture} has unknown {k}"));
            Assert.Empty(translated.Where(t => string.IsNullOrWhiteSpace(t.Value) && !string.IsNullOrWhiteSpace(english[t.Key])).Select(t => $"{culture} {t.Key} is empty"));
        }
    }

    [Fact]
    public void Every_audit_action_the_product_names_reads_as_words_on_the_audit_page()
    {
        // the actions the services name as constants (customer_view, reveal, dialer_serve, …)
        var actions = new[] { typeof(RetentionAnalytics.Core.Audit.AuditLog).Assembly, typeof(RetentionAnalytics.Portal.Features.Admin.AdminQueries).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string) && f.Name.EndsWith("Action", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Distinct()
            .ToList();
        Assert.Contains("customer_view", actions);
        var names = Texts(Path.Combine(PortalHost.RepositoryRoot, "src", "RetentionAnalytics.Portal", "Features", "Admin", "AdminResource.resx"));

        Assert.All(actions, a => Assert.True(names.ContainsKey($"AuditAction_{a}"), $"AuditAction_{a} is missing"));
    }
}
