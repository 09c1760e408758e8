using System.Data;
using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Campaigns;

/// <summary>
/// The stored campaign titles (ops.campaign_title, in every portal language) that queues, tasks, contacts and the 360
/// read: recomputed from the campaign and its scenario's names wherever a campaign is created or renamed and wherever
/// scenario names change, in the caller's transaction. Only titles that changed are written.
/// </summary>
public static class CampaignTitles
{
    /// <summary>Refreshes the titles of one campaign, or of every campaign when <paramref name="campaignId"/> is null.</summary>
    public static void Refresh(IDbConnection c, Db db, long? campaignId = null, IDbTransaction? tx = null) =>
        c.Execute(db.Sql.Get("campaigns/refresh_titles.sql"), new { campaign_id = campaignId }, tx);
}
