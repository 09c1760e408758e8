using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Offers;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Questionnaires;
using RetentionAnalytics.Core.SpecialCampaigns;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Campaigns;

public static class CampaignServices
{
    /// <summary>Questionnaires, retention offers, new-subscriber callbacks and special campaigns, and their seed step.</summary>
    public static IServiceCollection AddCampaigns(this IServiceCollection services)
    {
        services.AddSingleton<QuestionnaireCatalog>();
        services.AddSingleton<OfferCatalog>();
        services.AddSingleton<OfferSuggestions>();
        services.AddSingleton<NewSubscriberCallbacks>();
        services.AddSingleton<SegmentCampaigns>();
        services.AddSingleton<IOutcomeStep, QuestionnaireOutcomeStep>();
        services.AddSingleton<IPipelineStep, CampaignSeedStep>();
        return services;
    }
}

/// <summary>Before the call lists: seed questionnaires and offers that are not in the warehouse yet (never overwrites edits).</summary>
public sealed class CampaignSeedStep(QuestionnaireCatalog questionnaires, OfferCatalog offers) : IPipelineStep
{
    public int Order => 290;
    public string Name => "campaign-seeds";

    public RunNotes Run(IProgress<JobProgress>? progress, CancellationToken ct) =>
        new(new RunNote("CampaignSeeds", questionnaires.EnsureSeeded(), offers.EnsureSeeded()));
}
