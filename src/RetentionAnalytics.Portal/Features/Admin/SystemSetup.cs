namespace RetentionAnalytics.Portal.Features.Admin;

public static class SystemSetup
{
    public static WebApplicationBuilder AddSystemOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SystemQueries>();
        return builder;
    }
}
