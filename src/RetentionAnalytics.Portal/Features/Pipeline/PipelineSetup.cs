using RetentionAnalytics.Core.Demo;

namespace RetentionAnalytics.Portal.Features.Pipeline;

public static class PipelineSetup
{
    public static WebApplicationBuilder AddPipeline(this WebApplicationBuilder builder)
    {
        var options = EtlOptions.From(builder.Configuration);
        Directory.CreateDirectory(options.Inbox);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<InboxFolder>();
        builder.Services.AddSingleton<PipelineGate>();
        builder.Services.AddSingleton<PipelineRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineRunner>());
        // the demo's past campaigns: made only in a warehouse the first start in demo mode marked (StartupRuns)
        builder.Services.AddDemo(builder.Configuration.GetSection("Demo").Get<DemoOptions>());
        return builder;
    }
}
