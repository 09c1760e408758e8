using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RetentionAnalytics.Core.Delivery;

public static class DeliveryServices
{
    /// <summary>
    /// Scheduled delivery. Renderers come from every registered <see cref="Reports.IReportRenderer"/>; hosts without
    /// mail get <see cref="NoDeliveryMailer"/> (the portal registers <see cref="SmtpDeliveryMailer"/> first).
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton(new DeliveryOptions());
        services.TryAddSingleton<IDeliveryMailer, NoDeliveryMailer>();
        services.AddSingleton<DeliveryService>();
        return services;
    }
}
