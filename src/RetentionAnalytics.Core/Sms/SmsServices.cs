using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Imports;
using RetentionAnalytics.Core.Materials;
using RetentionAnalytics.Core.Regions;

namespace RetentionAnalytics.Core.Sms;

public static class SmsServices
{
    /// <summary>
    /// Bulk SMS, the blacklist, imports and the material library. The host adds the <see cref="ISmsGateway"/> (the
    /// portal: <see cref="HttpSmsGateway"/> over an HttpClient) and the warehouse services.
    /// </summary>
    public static IServiceCollection AddSmsCore(this IServiceCollection services, SmsOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddRegionClock();
        services.AddSingleton(options);
        services.AddSingleton<SmsTemplates>();
        services.AddSingleton<SmsAudiences>();
        services.AddSingleton<SmsSends>();
        services.AddSingleton<SmsDispatcher>();
        services.AddSingleton<SmsInbound>();
        services.AddSingleton<SmsHistory>();
        services.AddSingleton<SmsGatewaySimulator>();
        services.AddSingleton<BlacklistService>();
        services.AddSingleton<BlacklistImport>();
        services.AddSingleton<HandsetImport>();
        services.AddSingleton<MaterialLibrary>();
        return services;
    }
}
