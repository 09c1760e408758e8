using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Customers;

public static class CustomersSetup
{
    /// <summary>Customer search and the customer 360 view (pages /customers and /customers/{subscriberId}).</summary>
    public static WebApplicationBuilder AddCustomers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CustomerSearch>();
        builder.Services.AddSingleton<Customer360>();
        return builder;
    }

    /// <summary>The signed-in user as the customer services see them, names in the page's language.</summary>
    public static CustomerViewer ToCustomerViewer(this ICurrentUser user) => new(
        user.Username, user.Scope, user.SeesUnmaskedIdentifiers, user.ClientIp,
        PortalLanguage.Current);

    /// <summary>A stored code (status, channel, …) in the user's language; unknown codes show as stored.</summary>
    public static string Term(this IStringLocalizer<CustomersResource> t, string group, string? code) =>
        code is null ? ""
        : t[$"{group}_{code}"] is { ResourceNotFound: false } text ? text.Value
        : code;
}
