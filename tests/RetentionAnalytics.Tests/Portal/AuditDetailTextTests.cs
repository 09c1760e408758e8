using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Admin;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Portal.Features.Sms;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// The audit page's Detail column in the reader's language: the details as the writers record them (AccountStore,
/// Exporter, CsvImport, MaterialLibrary, AdminQueries' team change, SmsSends, BlacklistService, SignInService, …)
/// worded with names and labelled counts; a detail of another form stays as stored.
/// </summary>
public sealed class AuditDetailTextTests
{
    [Theory]
    // AccountStore.Create: a new account's roles and cities
    [InlineData("en", "user_change", "created;roles=agent|supervisor;scope=571", "created; roles: Retention agent, Retention supervisor; scope: Hangzhou")]
    [InlineData("de", "user_change", "created;roles=agent|supervisor;scope=571", "angelegt; Rollen: Kundenbindungs-Agent, Kundenbindungs-Supervisor; Bereich: Hangzhou")]
    [InlineData("zh-Hans", "user_change", "created;roles=agent|supervisor;scope=571", "已创建；角色：维系坐席, 维系主管；范围：杭州")]
    // AccountStore.UpdateProfile: old and new values
    [InlineData("de", "role_change", "roles=agent->supervisor;scope=province->571|572", "Rollen: Kundenbindungs-Agent → Kundenbindungs-Supervisor; Bereich: Gesamte Provinz → Hangzhou, Ningbo")]
    [InlineData("en", "user_change", "team=->hz-retention", "team: – → Hangzhou retention")]
    // Exporter: the file, its rows counted in the reader's culture
    [InlineData("en", "export", "type=xlsx rows=1234 streamed=no", "XLSX file; 1,234 row(s); streamed: no")]
    [InlineData("de", "export", "type=xlsx rows=1234 streamed=no", "XLSX-Datei; 1.234 Zeile(n); gestreamt: nein")]
    [InlineData("zh-Hans", "export", "type=csv too_large rows=250000", "CSV 文件；过大；250,000 行")]
    // DeliveryService: a report by its title
    [InlineData("de", "delivery_subscribe", "report=churn_by_plan", "Bericht: Abwanderung nach Tarif")]
    // CsvImport.Audit
    [InlineData("de", "import", "rows=10 accepted=9 rejected=1", "10 Zeile(n); 9 übernommen; 1 abgelehnt")]
    // AdminQueries.SaveTeam
    [InlineData("zh-Hans", "team_change", "created;kind=retention;city=571;tiers=high|mid;active=True", "已创建；类型：维系；城市：杭州；价值等级：高价值, 中价值；启用：是")]
    // MaterialLibrary, QuestionnaireCatalog, NewSubscriberCallbacks: words of their own
    [InlineData("de", "material_upload", "version 3, 20480 bytes", "Version 3, 20.480 Byte")]
    [InlineData("zh-Hans", "questionnaire_change", "draft saved", "草稿已保存")]
    [InlineData("de", "callback_list_generate", "members +5, tasks +7", "5 Mitglied(er) und 7 Aufgabe(n) hinzugefügt")]
    // SmsSends.Request and BlacklistService.Add
    [InlineData("en", "sms_send_request", "task:42 recipients=3 awaiting approval", "to task 42; 3 recipient(s); awaiting approval")]
    [InlineData("de", "blacklist_add", "scope=sms reason=opt_out until=-", "sperrt: SMS; Grund: Abmeldung; unbefristet")]
    // SignInService and Customer360: a reason, an attempted action
    [InlineData("de", "sign_in_failed", "wrong_password", "falsches Passwort")]
    [InlineData("zh-Hans", "denied", "customer_view", "查看客户")]
    // DefinitionsPanel: the reload's counts; DeliveryService: a refused subscription's reason key
    [InlineData("de", "definitions_reload", "12 contracts, 5 reports, 3 cubes, 20 scenarios; 2 problem(s)",
        "12 Vertrag/Verträge; 5 Bericht(e); 3 Würfel; 20 Szenario(s); 2 Problem(e)")]
    [InlineData("de", "delivery_subscribe", "ParameterRefused;parameter=month", "ein Parameter wurde abgelehnt; Parameter month")]
    // DialerDesk and SupervisorDesk through TaskAccess.Deny
    [InlineData("en", "dialer_handover", "mode=preview;cities=571,572", "mode preview; cities: Hangzhou, Ningbo")]
    [InlineData("en", "task_denied", "action=reassign;denied=3", "attempted: reassign; 3 refused")]
    public void A_detail_the_writers_record_reads_as_words_with_names(string culture, string action, string detail, string expected)
    {
        var shown = In(culture, action, detail);

        Assert.Equal(expected, shown.ToString());
        Assert.Contains(shown.Pieces, p => !p.Verbatim);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("zh-Hans")]
    public void A_detail_of_a_form_this_version_does_not_know_stays_as_stored(string culture)
    {
        foreach (var (action, detail) in new[]
                 {
                     ("callback_settings_change", "{\"WindowDays\":7}"),
                     ("user_change", "created;mystery=1"),
                     ("export", "something the writer said"),
                     ("definitions_reload", "3 contracts, all fine"),
                 })
        {
            var shown = In(culture, action, detail);
            Assert.Equal(detail, shown.ToString());
            Assert.All(shown.Pieces, p => Assert.True(p.Verbatim));
        }
        // a released file's name is quoted in a worded sentence
        var file = In(culture, "load_release", "subscription_20261031.csv");
        Assert.Contains(file.Pieces, p => p is { Verbatim: true, Text: "subscription_20261031.csv" });
        Assert.Empty(In(culture, "sign_out", null).Pieces);
    }

    private static Phrase In(string culture, string action, string? detail)
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = LocalizationSetup.Culture(culture);
            var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
            var zh = culture.StartsWith("zh", StringComparison.Ordinal);
            var names = new NameBook(culture, [
                ("city", "571", zh ? "杭州" : "Hangzhou", null), ("city", "572", zh ? "湖州" : "Ningbo", null),
                ("team", "hz-retention", "Hangzhou retention", null)]);
            var text = new AuditDetailText(new StringLocalizer<AdminResource>(factory), new StringLocalizer<SharedResource>(factory),
                new StringLocalizer<SmsResource>(factory), names, id => id == "churn_by_plan" ? "Abwanderung nach Tarif" : null);
            return text.Render(action, detail);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }
}
