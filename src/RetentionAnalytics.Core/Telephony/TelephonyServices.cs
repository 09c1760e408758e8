using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Telephony;

public static class TelephonyServices
{
    /// <summary>Inbound calls (screen pop) with the in-process notifier, and the outcome step that records a saved call as inbound.</summary>
    public static IServiceCollection AddTelephony(this IServiceCollection services)
    {
        services.AddSingleton<IInboundCallNotifier, InProcessInboundCallNotifier>();
        services.AddSingleton<InboundCalls>();
        services.AddSingleton<IOutcomeStep, InboundCallStep>();
        return services;
    }
}
