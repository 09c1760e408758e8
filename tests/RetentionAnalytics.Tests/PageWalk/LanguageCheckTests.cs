namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>The page walk's language rule: English text left on a German or Chinese page is caught, data is not.</summary>
public sealed class LanguageCheckTests
{
    [Theory]
    [InlineData("No rejected rows in this file", "de")]
    [InlineData("Activations within this many months up to the end of the period.", "zh")]
    [InlineData("Show report", "zh")]
    [InlineData("Churn-warning subscribers 2026-10", "zh")]
    public void English_words_left_on_a_translated_page_are_caught(string text, string language) =>
        Assert.True(LanguageCheck.ReadsAsEnglish(text, language));

    [Theory]
    [InlineData("Show report", "de")]            // two words: German shares too many short ones with English
    [InlineData("2,411", "de")]
    [InlineData("S00000712", "zh")]
    [InlineData("2026-10-31 08:00", "zh")]
    [InlineData("s01_snapshot_non_retention", "de")]
    [InlineData("created;roles=agent;scope=571", "zh")]
    [InlineData("agent.hz1", "zh")]
    [InlineData("daily-pipeline", "zh")]
    [InlineData("流失预警用户分析", "zh")]
    [InlineData("channel_20261031.csv loaded", "de")]
    public void Data_codes_and_translated_text_are_left_alone(string text, string language) =>
        Assert.False(LanguageCheck.ReadsAsEnglish(text, language));

    [Fact]
    public void Only_text_identical_to_the_english_rendering_of_the_same_page_state_is_reported()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ra-walk-" + Guid.NewGuid().ToString("N"));
        var recorder = new WalkRecorder(folder, new Dictionary<string, string> { ["analyst"] = "analyst" });
        WalkPoint At(string language, string step = "") => new("analyst", "analyst", language, 1280, "reports/effectiveness", step);

        recorder.Text(At("en"), ["Retention effectiveness (treated vs. control)", "No rows for this range", "Retention 2026-06 (demo)"]);
        recorder.Text(At("de"), ["Wirksamkeit der Bindung (behandelt vs. Kontrollgruppe)", "No rows for this range", "Retention 2026-06 (demo)"]);
        recorder.Text(At("zh"), ["维系效果评估（干预组与对照组）", "没有数据", "Retention 2026-06 (demo)"]);
        // a state English never reached is not compared
        recorder.Text(At("de", "drill"), ["No rows for this range"]);

        recorder.CheckLanguages(_ => null);

        var finding = Assert.Single(recorder.Findings);
        Assert.Equal(WalkRecorder.NotInLanguage, finding.Cause);
        Assert.Equal(("de", "", "reports/effectiveness"), (finding.At.Language, finding.At.Step, finding.At.Page));
        Assert.Contains("No rows for this range", finding.Detail);
    }

    [Fact]
    public void Names_the_sample_delivers_in_one_language_are_data()
    {
        var names = LanguageCheck.SampleDataNames(Support.PortalHost.RepositoryRoot);

        Assert.Contains("Hangzhou retention agent 1", names);
        Assert.Contains("Quzhou account managers", names);
        Assert.Contains("Own store network", names);
    }
}
