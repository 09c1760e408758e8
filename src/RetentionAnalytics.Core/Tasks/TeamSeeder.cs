using Dapper;
using RetentionAnalytics.Core.Warehouse;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Tasks;

/// <summary>
/// Seeds the retention teams and their agents from <c>data-samples/ops/teams.yaml</c> once, when ops.team is still
/// empty (administrators own the teams afterwards), and adds an agent for each account manager the subscriber data
/// names who has none yet -- on every run, because managers come and go with the subscription extract -- under the
/// manager's name from the same file.
/// </summary>
public sealed class TeamSeeder(Db db, TeamRecords? records = null)
{
    private readonly TeamRecords _records = records ?? new TeamRecords(db);

    public const string SeedFile = "data-samples/ops/teams.yaml";
    private const int DefaultAccountManagerCapacity = 15;

    public sealed record SeedResult(int Teams, int Agents, int AccountManagers);

    public SeedResult EnsureSeeded(string? seedFile = null)
    {
        using var c = db.Connect();
        using var tx = c.BeginTransaction();
        int teams = 0, agents = 0;
        var seed = Read(seedFile ?? Path.Combine(db.Options.ArtefactRoot, SeedFile));
        if (c.ExecuteScalar<long>("select count(*) from ops.team", transaction: tx) == 0)
        {
            teams = c.Execute(
                "insert into ops.team (team_id, name, kind, city_code, value_tiers, active, agent_capacity) values ($team_id, $name, $kind, $city, $value_tiers, true, $agent_capacity)",
                seed.Teams.Select(t => new
                {
                    team_id = t.TeamId, name = t.Name, kind = t.Kind, city = t.City,
                    value_tiers = t.ValueTiers is null ? null : string.Join(',', t.ValueTiers), agent_capacity = t.AgentCapacity,
                }),
                tx);
            agents = c.Execute(
                "insert into ops.agent (username, display_name, team_id, capacity, account_manager_id, active) values ($username, $display_name, $team_id, $capacity, null, true)",
                seed.Teams.SelectMany(t => (t.Agents ?? []).Select(a => new { username = a.Username, display_name = a.DisplayName, team_id = t.TeamId, capacity = t.AgentCapacity })),
                tx);
        }
        var managers = Etl.Loading.Loader.TableExists(c, "dw", "dim_subscriber")
            ? c.Execute(db.Sql.Get("tasks/account_manager_agents.sql"), new { default_capacity = DefaultAccountManagerCapacity, names = Names(seed) }, tx)
            : 0;
        tx.Commit();
        if (teams + agents + managers > 0)
        {
            _records.PublishNew();
        }
        return new SeedResult(teams, agents, managers);
    }

    /// <summary>The managers' names as "id=name;id=name" (one bound text): an id or a name with a separator is skipped.</summary>
    private static string Names(TeamsFile seed) => string.Join(';', seed.AccountManagers
        .Where(m => m.Id.Length > 0 && m.DisplayName.Length > 0 && !$"{m.Id}{m.DisplayName}".Any(ch => ch is '=' or ';'))
        .Select(m => $"{m.Id}={m.DisplayName.Trim()}"));

    private static TeamsFile Read(string path) =>
        new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<TeamsFile>(File.ReadAllText(path)) ?? new TeamsFile();

    private sealed class TeamsFile
    {
        public List<TeamEntry> Teams { get; set; } = [];
        public List<ManagerEntry> AccountManagers { get; set; } = [];
    }

    private sealed class ManagerEntry
    {
        public string Id { get; set; } = "";
        public string DisplayName { get; set; } = "";
    }

    private sealed class TeamEntry
    {
        public string TeamId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "retention";
        public string? City { get; set; }
        public List<string>? ValueTiers { get; set; }
        public int AgentCapacity { get; set; } = 20;
        public List<AgentEntry>? Agents { get; set; }
    }

    private sealed class AgentEntry
    {
        public string Username { get; set; } = "";
        public string DisplayName { get; set; } = "";
    }
}
