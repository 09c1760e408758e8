using System.Globalization;
using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>The request's or circuit's language as the warehouse texts know it: en, de or zh.</summary>
public static class PortalLanguage
{
    public static string Current => CustomerViewer.LanguageOf(CultureInfo.CurrentUICulture.Name);

    /// <summary>
    /// A language (en, de, zh, or a culture of one: zh-Hans) by its own name, as every language chooser shows it to every
    /// reader, so that a reader who cannot read the current language still finds theirs.
    /// </summary>
    public static string NameOf(string language) => CustomerViewer.LanguageOf(language) switch
    {
        "de" => "Deutsch",
        "zh" => "简体中文",
        _ => "English",
    };

    /// <summary>The portal's cultures (en, de, zh-Hans), each by its own name: the choices of a language chooser.</summary>
    public static IReadOnlyList<LanguageChoice> Choices { get; } = [.. LocalizationSetup.Cultures.Select(c => new LanguageChoice(c, NameOf(c)))];
}

/// <summary>A culture of the portal (en, de, zh-Hans) and its name in itself.</summary>
public sealed record LanguageChoice(string Culture, string Name);
