using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RetentionAnalytics.Core.Materials;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.SpecialCampaigns;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Tests.Refusals;

/// <summary>
/// Every refusal a service can throw has its text in English, German and Chinese: the codes are the members of each
/// refusal enum, found by reflection, so a new code without its three texts fails here.
/// </summary>
public sealed partial class RefusalTextTests
{
    private static readonly string[] Translations = ["de", "zh-Hans"];

    private static readonly ResourceManager Texts = new(typeof(RefusalResource).FullName!, typeof(RefusalResource).Assembly);

    /// <summary>Each refusal of the core (an exception that is an <see cref="IRefusal"/>) and the enum of its codes (its constructors' code parameter).</summary>
    public static IEnumerable<object[]> RefusalTypes() =>
        typeof(IRefusal).Assembly.GetTypes()
            .Where(t => t.IsAssignableTo(typeof(IRefusal)) && t.IsSubclassOf(typeof(Exception)) && !t.IsAbstract)
            .Select(t => new object[] { t.Name, CodesOf(t).FullName! });

    /// <summary>The refusals' codes and the kinds refusals name as values with texts of their own (what a file's content looks like).</summary>
    public static IEnumerable<object[]> TextedEnums() =>
        RefusalTypes().Append([nameof(MaterialContentKind), typeof(MaterialContentKind).FullName!]);

    private static Type CodesOf(Type exception) =>
        exception.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).Distinct()
            .Single(p => p.IsEnum);

    private static Type EnumNamed(string fullName) => typeof(RefusalException).Assembly.GetType(fullName, throwOnError: true)!;

    [Fact]
    public void The_services_whose_refusals_people_read_in_the_portal_refuse_with_codes()
    {
        var names = RefusalTypes().Select(r => (string)r[0]).ToHashSet();
        foreach (var expected in new[]
                 {
                     nameof(MaterialException), nameof(SpecialCampaignException), "NewSubscriberException", "ImportFileException", nameof(QuestionnaireException),
                     "BlacklistException", "OfferException", nameof(ScenarioParameterException), nameof(CustomRuleException), "CubeRequestException",
                     "ReportParameterException", nameof(ScenarioException),
                 })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(TextedEnums))]
    public void Every_code_has_its_text_in_english_german_and_chinese(string exception, string codes)
    {
        var missing = new List<string>();
        foreach (var code in Enum.GetValues(EnumNamed(codes)).Cast<Enum>())
        {
            var key = RefusalException.KeyOf(code);
            var english = Texts.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)?.GetString(key);
            if (string.IsNullOrWhiteSpace(english))
            {
                missing.Add($"{key} (en)");
                continue;
            }
            foreach (var language in Translations)
            {
                var text = Texts.GetResourceSet(CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false)?.GetString(key);
                if (string.IsNullOrWhiteSpace(text) || text == english)
                {
                    missing.Add($"{key} ({language})");
                }
                else if (!Placeholders(text).SetEquals(Placeholders(english)))
                {
                    missing.Add($"{key} ({language}: names {string.Join(" ", Placeholders(text))}, English {string.Join(" ", Placeholders(english))})");
                }
            }
        }
        Assert.True(missing.Count == 0, $"{exception}: texts missing or not translated: {string.Join(", ", missing)}");
    }

    [Fact]
    public void No_text_is_left_over_from_a_code_that_is_gone()
    {
        var keys = TextedEnums().SelectMany(r => Enum.GetValues(EnumNamed((string)r[1])).Cast<Enum>()).Select(RefusalException.KeyOf).ToHashSet();
        var leftOver = Texts.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).Where(k => !keys.Contains(k)).ToList();
        Assert.True(leftOver.Count == 0, $"texts without a code: {string.Join(", ", leftOver)}");
    }

    [Fact]
    public void A_refusal_reads_in_the_readers_language_with_its_values()
    {
        var refusal = Assert.Throws<MaterialException>(() => new MaterialLibrary(null!, null!, TimeProvider.System)
            .Upload(null, "Tool", "script", "tool.exe", [1], ["agent"], "admin"));

        Assert.Equal(MaterialRefusal.FileType, refusal.Code);
        Assert.StartsWith("file type .exe is not allowed", refusal.Message);
        Assert.StartsWith("Files of type .exe cannot be uploaded. Allowed types: .pdf .docx", In("en", refusal));
        Assert.StartsWith("Dateien vom Typ .exe können nicht hochgeladen werden. Erlaubte Typen: .pdf .docx", In("de", refusal));
        Assert.StartsWith("不能上传 .exe 类型的文件。允许的类型：.pdf .docx", In("zh-Hans", refusal));
    }

    [Fact]
    public void A_file_whose_content_is_not_what_its_name_says_is_refused_naming_what_it_looks_like_in_the_readers_language()
    {
        var refusal = Assert.Throws<MaterialException>(() => new MaterialLibrary(null!, null!, TimeProvider.System)
            .Upload(null, "Poster", "document", "Poster.PDF", Materials.MaterialSamples.Png(), ["agent"], "admin"));

        Assert.Equal(MaterialRefusal.Content, refusal.Code);
        Assert.StartsWith("The file's name ends in .pdf, but its content looks like a PNG image.", In("en", refusal));
        Assert.StartsWith("Der Dateiname endet auf .pdf, der Inhalt ist aber offenbar ein PNG-Bild.", In("de", refusal));
        Assert.StartsWith("文件名以 .pdf 结尾，但其内容看起来是PNG 图片。", In("zh-Hans", refusal));
    }

    [Fact]
    public void A_segment_refused_by_the_rule_language_names_the_rules_reason_in_the_same_language()
    {
        var rule = Assert.Throws<CustomRuleException>(() => CustomRules.Parse("""{"field": "months_to_contract_end", "operator": "<=", "value": "soon"}"""));
        var refusal = new SpecialCampaignException(SpecialCampaignRefusal.Segment, rule);

        Assert.Contains("needs a whole number", refusal.Message);
        Assert.Equal("Das Segment ist ungültig: months_to_contract_end braucht eine ganze Zahl, nicht \"soon\".", In("de", refusal));
        Assert.Equal("客户群条件无效：months_to_contract_end 需要整数，而不是 \"soon\"。", In("zh-Hans", refusal));
    }

    [Fact]
    public void A_questionnaire_that_cannot_be_published_names_each_of_its_problems_in_the_readers_language()
    {
        var definition = new QuestionnaireDefinition
        {
            Questions =
            [
                new Question { Id = "will_renew", Type = Question.Single, Label = new LocalText { En = "Renew?" },
                    Options = [new QuestionOption { Value = "yes", Text = new LocalText { En = "Yes" } }] },
                new Question { Id = "why", Type = Question.Text, Label = new LocalText { En = "Why?" },
                    ShowIf = new ShowIf { Question = "will_renew", Answer = "perhaps" } },
            ],
        };
        var problems = definition.Problems();
        var refusal = new QuestionnaireException(QuestionnaireRefusal.Invalid, string.Join("; ", problems.Select(p => p.Message)), problems);

        Assert.Equal([QuestionnaireRefusal.TooFewOptions, QuestionnaireRefusal.ShowIfAnswer], problems.Select(p => (QuestionnaireRefusal)p.Code));
        Assert.Equal("Der Fragebogen kann noch nicht veröffentlicht werden: Frage will_renew: Eine Auswahlfrage braucht mindestens zwei Antwortmöglichkeiten. "
            + "Frage why: \u201eperhaps\u201c ist keine mögliche Antwort auf will_renew.", In("de", refusal));
        Assert.Equal("问卷暂不能发布：问题 will_renew：选择题至少需要两个选项。 问题 why：\u201cperhaps\u201d不是问题 will_renew 的可选答案。", In("zh-Hans", refusal));
    }

    [Fact]
    public void A_report_parameter_is_named_by_its_label_in_the_readers_language()
    {
        var label = new RetentionAnalytics.Core.Reports.Texts { En = "Month", De = "Monat", Zh = "月份" };
        var refusal = new RetentionAnalytics.Core.Reports.ReportParameterException(RetentionAnalytics.Core.Reports.ReportParameterRefusal.MonthOutOfRange,
            "parameter 'period' must be between 2026-01 and 2026-10", "period", label, "2026-01", "2026-10");

        Assert.Equal("\u201eMonat\u201c: Wählen Sie einen Monat von 2026-01 bis 2026-10.", In("de", refusal));
        Assert.Equal("\u201c月份\u201d：请选择 2026-01 至 2026-10 之间的月份。", In("zh-Hans", refusal));
        Assert.Equal("period", refusal.ParamName);
    }

    [Fact]
    public void Anything_but_a_refusal_keeps_its_own_message()
    {
        Assert.Equal("disk full", In("de", new IOException("disk full")));
    }

    private static string In(string language, Exception ex)
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = LocalizationSetup.Culture(language);
            var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
            return new StringLocalizer<RefusalResource>(factory).Text(ex);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();
}
