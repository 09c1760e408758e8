-- grain: one row: a campaign a person just made in the portal, with a special campaign's segment, read in the
-- transaction that made it for the agents' journal (AgentJournal.Read)
select campaign.campaign_id as CampaignId, campaign.campaign_key as CampaignKey, campaign.name as Name, campaign.kind as Kind,
       campaign.scenario_id as ScenarioId, campaign.period as Period, campaign.holdout_pct as HoldoutPct, campaign.seed as Seed,
       campaign.status as Status, campaign.created_at as CreatedAt, campaign.created_by as CreatedBy,
       campaign.questionnaire_id as QuestionnaireId, campaign.demo as Demo,
       segment.definition_json as SegmentJson, segment.feature_month as FeatureMonth, segment.scope_all as ScopeAll,
       segment.scope_cities as ScopeCities
from ops.campaign as campaign
left join ops.campaign_segment as segment
    on segment.campaign_id = campaign.campaign_id
where campaign.campaign_id = $campaign_id
