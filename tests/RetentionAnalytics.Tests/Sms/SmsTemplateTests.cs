using RetentionAnalytics.Core.Sms;

namespace RetentionAnalytics.Tests.Sms;

public sealed class SmsTemplateTests
{
    [Fact]
    public void An_unknown_placeholder_is_refused_naming_it_and_the_known_fields()
    {
        var ex = Assert.Throws<SmsTemplateException>(() => SmsTemplates.Validate("en", "Hi {firstname}"));
        Assert.Contains("{firstname}", ex.Message);
        Assert.Contains("{first_name}", ex.Message);
    }

    [Fact]
    public void A_stray_brace_is_refused_and_a_doubled_one_is_literal()
    {
        Assert.Throws<SmsTemplateException>(() => SmsTemplates.Validate("en", "Hi {first_name"));
        Assert.Equal("Use {code} Reply TD to unsubscribe", SmsTemplates.Render("en", "Use {{code}}", _ => null));
    }

    [Fact]
    public void An_unknown_language_is_refused() =>
        Assert.Throws<SmsTemplateException>(() => SmsTemplates.Validate("fr", "Bonjour"));

    [Theory]
    [InlineData("en", "Hi {first_name}", "Hi Anna Reply TD to unsubscribe")]
    [InlineData("de", "Hallo {first_name}", "Hallo Anna Antworten Sie STOP zur Abmeldung")]
    [InlineData("zh", "{first_name}您好", "Anna您好回复TD退订")]
    public void The_opt_out_text_of_the_language_is_always_appended(string language, string body, string expected) =>
        Assert.Equal(expected, SmsTemplates.Render(language, body, f => f == "first_name" ? "Anna" : null));

    [Fact]
    public void A_field_without_a_value_renders_empty() =>
        Assert.Equal("Balance: Reply TD to unsubscribe", SmsTemplates.Render("en", "Balance: {balance}", _ => null));

    [Fact]
    public void The_preview_of_a_gsm_text_turns_ucs2_when_a_chinese_character_is_typed()
    {
        var gsm = SmsSegments.Measure(SmsTemplates.RenderExample("en", "Your plan {plan_name} ends {contract_end}."));
        var ucs = SmsSegments.Measure(SmsTemplates.RenderExample("en", "Your plan {plan_name} ends {contract_end}. 谢谢"));
        Assert.Equal(SmsSegments.Gsm7, gsm.Encoding);
        Assert.Equal(SmsSegments.Ucs2, ucs.Encoding);
    }
}
