using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Access;

/// <summary>
/// An active agent account and its region scope, read from the operational data (the warehouse file or PostgreSQL):
/// telephony integrations name the agent a call or a dialled record belongs to.
/// </summary>
public static class AgentAccounts
{
    /// <summary>The agent's region scope; null when there is no active account with the agent role of that name.</summary>
    public static (string Username, RegionScope Scope)? Find(Db db, string username)
    {
        using var c = db.Ops.Connect();
        var row = c.QuerySingleOrDefault<(string Username, bool Province, string Cities)?>(
            db.Ops.Sql.Get("access/agent_account.sql"), new { username });
        return row is { } a
            ? (a.Username, a.Province ? RegionScope.WholeProvince : RegionScope.ForCities(a.Cities.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            : null;
    }
}
