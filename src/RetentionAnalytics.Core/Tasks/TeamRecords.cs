using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Tasks;

/// <summary>
/// Teams and agent records (<c>ops.team</c>, <c>ops.agent</c>). Assignment, the queues, the supervisors' views and the
/// operations cube join them with the tasks in the warehouse file, so every node's file keeps them. With
/// <c>Ops:Provider=postgres</c> the operational database holds them too, as their record: every change made on a node
/// is published there after its commit (<see cref="Publish"/>), and a node that becomes the writer restores them from
/// there before it serves (<see cref="Restore"/>), so an administrator's change since the last published build
/// survives the writer. With one process (DuckDB) nothing of this runs.
/// </summary>
public sealed class TeamRecords(Db db, ILogger<TeamRecords>? log = null)
{
    public sealed record Team(string TeamId, string Name, string Kind, string? CityCode, string? ValueTiers, bool Active, int? AgentCapacity);

    public sealed record Agent(string Username, string DisplayName, string TeamId, int Capacity, string? AccountManagerId, bool Active);

    /// <summary>A team's name as people read it; its id when the team is not (or no longer) in the file.</summary>
    public string NameOf(string teamId)
    {
        using var c = db.Connect();
        return c.QuerySingleOrDefault<string?>(db.Sql.Get("tasks/team_name.sql"), new { team_id = teamId }) is { Length: > 0 } name
            ? name
            : teamId;
    }

    /// <summary>
    /// The teams and agents named, as this node's file has them after a change that was committed, into the
    /// operational database (they replace what it held), with those whose publication failed before. Without it
    /// reachable they are owed (<c>ops.team_publish_pending</c> in the file, logged by id) and published first by the
    /// next publication or restore, so a restore never puts the older row back.
    /// </summary>
    public void Publish(IReadOnlyCollection<string> teamIds, IReadOnlyCollection<string> usernames)
    {
        if (!db.Ops.IsPostgres || teamIds.Count + usernames.Count == 0)
        {
            return;
        }
        var owed = Owed();
        var keys = new HashSet<(string Kind, string Key)>(owed);
        keys.UnionWith(teamIds.Select(t => (TeamKind, t)));
        keys.UnionWith(usernames.Select(u => (AgentKind, u)));
        if (!TryPublishOwed(keys))
        {
            using var c = db.Connect();
            c.Execute(db.Sql.Get("teams/pending_add.sql"), keys.Except(owed).Select(k => new { kind = k.Kind, record_key = k.Key }));
        }
    }

    /// <summary>
    /// The teams and agents of this node's file the operational database does not hold yet (the seeded teams, the
    /// account managers a call-list run added, a deployment's first start with PostgreSQL); what it holds stays.
    /// </summary>
    public void PublishNew()
    {
        if (!db.Ops.IsPostgres)
        {
            return;
        }
        var (teams, agents) = ReadFile();
        // on failure nothing is owed: the next PublishNew, or a restore (which ends with one), publishes them
        TryPublish(teams, agents, replace: false, what: $"{teams.Count} team(s), {agents.Count} agent(s) not there yet");
    }

    /// <summary>
    /// On the node that becomes the writer, before it serves: the operational database's teams and agents into this
    /// node's file as they are there (a copy of the last build may hold older ones), then the file's own that the
    /// operational database does not hold yet. Returns the teams and agents restored. Throws when the operational
    /// database is out of reach; the file then keeps the build's.
    /// </summary>
    public (int Teams, int Agents) Restore()
    {
        if (!db.Ops.IsPostgres)
        {
            return (0, 0);
        }
        // what this file changed and could not publish is newer than the operational database's rows: first
        if (Owed() is { Count: > 0 } owed && !TryPublishOwed(owed))
        {
            throw new InvalidOperationException($"{owed.Count} team or agent change(s) of this node are still owed to the operational database");
        }
        List<Team> teams;
        List<Agent> agents;
        using (var ops = db.Ops.Connect())
        {
            (teams, agents) = Read(ops, db.Ops.Sql.Get("teams/records_teams.sql"), db.Ops.Sql.Get("teams/records_agents.sql"));
        }
        using (var c = db.Connect())
        using (var tx = c.BeginTransaction())
        {
            foreach (var (update, insert, rows) in new[]
                     {
                         ("teams/restore_team_update.sql", "teams/restore_team_insert.sql", teams.Select(TeamArgs)),
                         ("teams/restore_agent_update.sql", "teams/restore_agent_insert.sql", agents.Select(AgentArgs)),
                     })
            {
                foreach (var row in rows)
                {
                    c.Execute(db.Sql.Get(update), row, tx);
                    c.Execute(db.Sql.Get(insert), row, tx);
                }
            }
            tx.Commit();
        }
        PublishNew();
        return (teams.Count, agents.Count);
    }

    private const string TeamKind = "team", AgentKind = "agent";

    private List<(string Kind, string Key)> Owed()
    {
        using var c = db.Connect();
        return c.Query<(string, string)>(db.Sql.Get("teams/pending_list.sql")).ToList();
    }

    /// <summary>Publishes the teams and agents named as the file has them; true once they are in, and no longer owed.</summary>
    private bool TryPublishOwed(IReadOnlyCollection<(string Kind, string Key)> keys)
    {
        var (teams, agents) = ReadFile();
        var published = TryPublish(
            teams.Where(t => keys.Contains((TeamKind, t.TeamId))).ToList(), agents.Where(a => keys.Contains((AgentKind, a.Username))).ToList(), replace: true,
            what: $"teams {string.Join(',', keys.Where(k => k.Kind == TeamKind).Select(k => k.Key))}; agents {string.Join(',', keys.Where(k => k.Kind == AgentKind).Select(k => k.Key))}");
        if (published)
        {
            using var c = db.Connect();
            c.Execute(db.Sql.Get("teams/pending_clear.sql"), keys.Select(k => new { kind = k.Kind, record_key = k.Key }));
        }
        return published;
    }

    private (List<Team> Teams, List<Agent> Agents) ReadFile()
    {
        using var c = db.Connect();
        return Read(c, db.Sql.Get("teams/records_teams.sql"), db.Sql.Get("teams/records_agents.sql"));
    }

    // by position, the columns in the records' order
    private static (List<Team>, List<Agent>) Read(DbConnection c, string teamsSql, string agentsSql) =>
        (c.Query<(string, string, string, string?, string?, bool, int?)>(teamsSql).Select(t => new Team(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7)).ToList(),
         c.Query<(string, string, string, int, string?, bool)>(agentsSql).Select(a => new Agent(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6)).ToList());

    private bool TryPublish(List<Team> teams, List<Agent> agents, bool replace, string what)
    {
        try
        {
            using var ops = db.Ops.Connect();
            using var tx = ops.BeginTransaction();
            ops.Execute(db.Ops.Sql.Get("teams/publish_team.sql"), teams.Select(t => With(TeamArgs(t), replace)), tx);
            ops.Execute(db.Ops.Sql.Get("teams/publish_agent.sql"), agents.Select(a => With(AgentArgs(a), replace)), tx);
            tx.Commit();
            return true;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // ids only: names are personal data
            log?.LogWarning("Teams and agents not published to the operational database, they are owed by this node's file ({What}; {ExceptionType})",
                what, ex.GetType().Name);
            return false;
        }
    }

    private static DynamicParameters TeamArgs(Team t) => new(new
    {
        team_id = t.TeamId, name = t.Name, kind = t.Kind, city_code = t.CityCode, value_tiers = t.ValueTiers, active = t.Active,
        agent_capacity = t.AgentCapacity,
    });

    private static DynamicParameters AgentArgs(Agent a) => new(new
    {
        username = a.Username, display_name = a.DisplayName, team_id = a.TeamId, capacity = a.Capacity,
        account_manager_id = a.AccountManagerId, active = a.Active,
    });

    private static DynamicParameters With(DynamicParameters args, bool replace)
    {
        args.Add("replace", replace);
        return args;
    }
}
