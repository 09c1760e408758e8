using System.Globalization;
using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

/// <summary>The request's or circuit's language as the warehouse texts know it: en, de or zh.</summary>
public static class PortalLanguage
{
    public static string Current => CustomerViewer.LanguageOf(CultureInfo.CurrentUICulture.Name);
}
