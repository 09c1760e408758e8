namespace RetentionAnalytics.Portal.Features.Home;

public static class HomeSetup
{
    public static WebApplicationBuilder AddHome(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HomeQueries>();
        return builder;
    }
}
