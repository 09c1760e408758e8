using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Dialer;

public static class DialerServices
{
    /// <summary>The outbound dialer: serving and reports, the supervisor's handover and progress, results files, and the outcome step.</summary>
    public static IServiceCollection AddDialer(this IServiceCollection services, DialerOptions? options = null)
    {
        services.TryAddSingleton(options ?? new DialerOptions());
        services.AddSingleton<OutboundDialer>();
        services.AddSingleton<DialerDesk>();
        services.AddSingleton<DialerResultsImport>();
        services.AddSingleton<IOutcomeStep, DialerAttemptStep>();
        return services;
    }
}
