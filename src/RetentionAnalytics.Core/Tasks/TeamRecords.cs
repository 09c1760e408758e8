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

    /// <summary>
    /// The teams and agents named, as this node's file has them after a change that was committed, into the
    /// operational database (they replace what it held). Without it reachable the change stays on this node's file
    /// only (logged by id); the next change of the same team or agent publishes it again.
    /// </summary>
    public void Publish(IReadOnlyCollection<string> teamIds, IReadOnlyCollection<string> usernames)
    {
        if (!db.Ops.IsPostgres || teamIds.Count + usernames.Count == 0)
        {
            return;
        }
        var (teams, agents) = ReadFile();
        TryPublish(teams.Where(t => teamIds.Contains(t.TeamId)).ToList(), agents.Where(a => usernames.Contains(a.Username)).ToList(), replace: true,
            what: $"teams {string.Join(',', teamIds)}; agents {string.Join(',', usernames)}");
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

    private (List<Team> Teams, List<Agent> Agents) ReadFile()
    {
        using var c = db.Connect();
        return Read(c, db.Sql.Get("teams/records_teams.sql"), db.Sql.Get("teams/records_agents.sql"));
    }

    // by position, the columns in the records' order
    private static (List<Team>, List<Agent>) Read(DbConnection c, string teamsSql, string agentsSql) =>
        (c.Query<(string, string, string, string?, string?, bool, int?)>(teamsSql).Select(t => new Team(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7)).ToList(),
         c.Query<(string, string, string, int, string?, bool)>(agentsSql).Select(a => new Agent(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6)).ToList());

    private void TryPublish(List<Team> teams, List<Agent> agents, bool replace, string what)
    {
        try
        {
            using var ops = db.Ops.Connect();
            using var tx = ops.BeginTransaction();
            ops.Execute(db.Ops.Sql.Get("teams/publish_team.sql"), teams.Select(t => With(TeamArgs(t), replace)), tx);
            ops.Execute(db.Ops.Sql.Get("teams/publish_agent.sql"), agents.Select(a => With(AgentArgs(a), replace)), tx);
            tx.Commit();
        }
        catch (DbException ex)
        {
            // ids only: names are personal data
            log?.LogWarning("Teams and agents not published to the operational database, they stay on this node's file ({What}; {ExceptionType})",
                what, ex.GetType().Name);
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
