using Dapper;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Portal.Features.Admin;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Access;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// Teams and agent records are joined with the tasks in each node's file, and their record is in PostgreSQL: an
/// administrator's change on the writer since the last published build is restored on the node that takes over.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TeamRecordsTests(PostgresServer postgres)
{
    private const string Teams = "select team_id, name, kind, city_code, value_tiers, active, agent_capacity from ops.team";
    private const string Agents = "select username, display_name, team_id, capacity, account_manager_id, active from ops.agent";

    [SkippableFact]
    public void Teams_and_agents_an_administrator_changed_on_the_writer_since_the_last_build_are_those_of_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.NewOps();
        using var env = SeededWriter(ops);
        var writer = env.Warehouse;
        // the seed is published as it is made
        Assert.True(File(writer, Teams).Count >= 10);
        Assert.Equal(File(writer, Teams), Ops(writer, Teams));
        Assert.Equal(File(writer, Agents), Ops(writer, Agents));
        var build = writer.PublishBuild();

        // after the build, on the writer only
        var admin = TeamAdministrationTests.Admin(env);
        admin.SaveTeam("admin", new TeamRow { TeamId = "T571-RET", Name = "Hangzhou retention (west)", Kind = "retention", CityCode = "571", ValueTiers = "low", Active = false }, isNew: false, null);
        admin.SaveTeam("admin", new TeamRow { TeamId = "T571-CB", Name = "Hangzhou callbacks", Kind = "callback", CityCode = "571", Active = true }, isNew: true, null);
        env.Accounts.SaveAgent("admin", "agent.hz1", "Hangzhou callback agent 1", "T571-CB", 7, active: false);
        env.Accounts.SaveAgent("admin", "agent.new", "New agent", "T571-CB", 12, active: true);

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        Assert.NotEqual(File(writer, Teams), File(survivor, Teams));
        Assert.NotEqual(File(writer, Agents), File(survivor, Agents));
        // an agent record only this file holds (a deployment's file before its teams were on PostgreSQL)
        Exec(survivor, "insert into ops.agent values ('am.x1', 'Manager x1', 'T571-AM', 15, 'X1', true)");

        var records = new TeamRecords(survivor.Db);
        var restored = records.Restore();

        Assert.Equal(File(writer, Teams), File(survivor, Teams));
        Assert.Equal(File(writer, Agents).Append(AgentRow("am.x1")).Order(StringComparer.Ordinal), File(survivor, Agents));
        Assert.Equal(File(survivor, Agents), Ops(survivor, Agents));
        Assert.Equal(File(survivor, Teams), Ops(survivor, Teams));
        Assert.Equal((File(writer, Teams).Count, File(writer, Agents).Count), restored);
        Assert.Contains("T571-CB|Hangzhou callbacks|callback|571||True|", File(survivor, Teams));
        Assert.Contains("agent.hz1|Hangzhou callback agent 1|T571-CB|7||False", File(survivor, Agents));

        // restoring again changes nothing
        records.Restore();
        Assert.Equal(File(writer, Teams), File(survivor, Teams));
        Assert.Equal(File(survivor, Agents), Ops(survivor, Agents));
    }

    [SkippableFact]
    public void A_team_change_whose_publication_failed_is_owed_and_published_before_a_restore_never_undone_by_it()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.NewOps();
        using var env = SeededWriter(ops);
        var writer = env.Warehouse;
        var admin = TeamAdministrationTests.Admin(env);
        var changed = new TeamRow { TeamId = "T571-RET", Name = "Changed while the database was away", Kind = "retention", CityCode = "571", ValueTiers = "low", Active = true };

        // the operational database refuses the publication: the change is committed here and owed
        writer.OpsExec("alter table ops.team rename to team_away");
        admin.SaveTeam("admin", changed, isNew: false, null);
        writer.OpsExec("alter table ops.team_away rename to team");
        Assert.Equal(1L, writer.Scalar<long>("select count(*) from ops.team_publish_pending"));
        Assert.DoesNotContain(Ops(writer, Teams), r => r.Contains(changed.Name, StringComparison.Ordinal));
        var build = writer.PublishBuild();

        // the node that takes over from a build holding the owed change publishes it before it restores
        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        new TeamRecords(survivor.Db).Restore();
        Assert.Contains(File(survivor, Teams), r => r.StartsWith($"T571-RET|{changed.Name}|", StringComparison.Ordinal));
        Assert.Equal(File(survivor, Teams), Ops(survivor, Teams));
        Assert.Equal(0L, survivor.Scalar<long>("select count(*) from ops.team_publish_pending"));

        // and so does the writer itself when it takes the role again
        new TeamRecords(writer.Db).Restore();
        Assert.Equal(File(survivor, Teams), File(writer, Teams));
        Assert.Equal(0L, writer.Scalar<long>("select count(*) from ops.team_publish_pending"));
    }

    /// <summary>A writer on PostgreSQL with the demo teams, agents and accounts.</summary>
    private static AccountsOnWarehouse SeededWriter(OpsOptions ops)
    {
        var env = new AccountsOnWarehouse(ops: ops);
        env.Seed();
        return env;
    }

    private static string AgentRow(string username) => username == "am.x1" ? "am.x1|Manager x1|T571-AM|15|X1|True" : throw new ArgumentException(username);

    private static List<string> File(TestWarehouse w, string sql) => Rows(w.Db.Connect(), sql);

    private static List<string> Ops(TestWarehouse w, string sql) => Rows(w.Db.Ops.Connect(), w.Db.Ops.Text(sql));

    private static List<string> Rows(System.Data.Common.DbConnection c, string sql)
    {
        using (c)
        {
            // in ordinal order: PostgreSQL's collation may order names otherwise than DuckDB
            return c.Query(sql).Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(v => v?.ToString())))
                .Order(StringComparer.Ordinal).ToList();
        }
    }

    private static void Exec(TestWarehouse w, string sql)
    {
        using var c = w.Db.Connect();
        c.Execute(sql);
    }
}
