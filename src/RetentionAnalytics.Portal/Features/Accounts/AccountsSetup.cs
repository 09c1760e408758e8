using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Portal.Features.Access;

namespace RetentionAnalytics.Portal.Features.Accounts;

/// <summary>The portal's side of the accounts in Core: the password rule from <c>Auth</c>, and the demo seed.</summary>
public static class AccountsSetup
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, AuthOptions auth)
    {
        services.AddSingleton(new PasswordPolicy(auth.MinPasswordLength, auth.DemoPassword));
        services.AddSingleton<AccountStore>();
        return services;
    }

    /// <summary>The demo accounts of docs/portal.md, on the first start of an empty account table.</summary>
    public static WebApplication SeedDemoAccounts(this WebApplication app)
    {
        var created = DemoAccounts.SeedIfEmpty(app.Services.GetRequiredService<TeamSeeder>(),
            app.Services.GetRequiredService<AccountStore>(), app.Services.GetRequiredService<AuthOptions>().DemoPassword);
        if (created > 0)
        {
            app.Logger.LogInformation("Seeded {Accounts} demo accounts", created);
        }
        return app;
    }
}
