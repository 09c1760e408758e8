namespace RetentionAnalytics.Portal.Features.Operations;

public static class OperationsSetup
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OperationsQueries>();
        return builder;
    }
}
