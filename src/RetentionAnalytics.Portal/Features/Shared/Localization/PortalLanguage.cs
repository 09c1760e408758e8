using System.Globalization;
using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>The request's or circuit's language as the warehouse texts know it: en, de or zh.</summary>
public static class PortalLanguage
{
    public static string Current => CustomerViewer.LanguageOf(CultureInfo.CurrentUICulture.Name);

    /// <summary>A language (en, de, zh) by its own name, as a language chooser shows it to every reader; else the code.</summary>
    public static string NameOf(string language) => CustomerViewer.LanguageOf(language) switch
    {
        "en" => "English",
        "de" => "Deutsch",
        "zh" => "中文",
        _ => language,
    };
}
