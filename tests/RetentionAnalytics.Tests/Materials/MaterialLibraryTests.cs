using System.Security.Cryptography;
using Dapper;
using Npgsql;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Materials;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Materials;

/// <summary>
/// The material library with the operational data in the warehouse file (here: two libraries on one file) or in
/// PostgreSQL (<see cref="MaterialLibraryTestsOnPostgres"/>: two portal nodes, each with its own file, sharing one
/// database).
/// </summary>
public class MaterialLibraryTests : TwoNodes
{
    protected static readonly HashSet<string> Agents = ["agent"];
    private static readonly HashSet<string> Supervisors = ["supervisor"];
    private static readonly HashSet<string> Analysts = ["analyst"];
    protected static readonly HashSet<string> Administrators = [MaterialLibrary.AdministratorRole];

    /// <summary>The library of the first and of the second node.</summary>
    protected MaterialLibrary A { get; }
    protected MaterialLibrary B { get; }

    public MaterialLibraryTests() : this(null)
    {
    }

    protected MaterialLibraryTests(OpsOptions? ops) : base(ops)
    {
        A = new MaterialLibrary(First.Db, new AuditLog(First.Db), TimeProvider.System);
        B = new MaterialLibrary(Second.Db, new AuditLog(Second.Db), TimeProvider.System);
    }

    [SkippableFact]
    public void A_file_uploaded_on_one_node_is_downloaded_byte_identical_on_the_other_with_every_version()
    {
        var v1 = MaterialSamples.Pdf(3 * 1024 * 1024 + 17, seed: 1);
        var v2 = MaterialSamples.Pdf((int)MaterialLibrary.MaxBytes, seed: 2);

        var first = A.Upload(null, " Offer sheet ", "offer_sheet", "offer sheet.pdf", v1, ["supervisor", "agent", "agent"], "supervisor.hz");
        Assert.Equal((1, "Offer sheet", "offer sheet.pdf", "application/pdf", (long)v1.Length, "agent,supervisor", "supervisor.hz"),
            (first.Version, first.Title, first.FileName, first.ContentType, first.SizeBytes, first.Roles, first.UploadedBy));

        var second = B.Upload(first.MaterialId, "Offer sheet 2027", "offer_sheet", "offer sheet.pdf", v2, ["agent"], "supervisor.nb");
        Assert.Equal((first.MaterialId, 2), (second.MaterialId, second.Version));

        var downloaded1 = B.Download(first.MaterialId, 1, "agent.hz1", Agents)!;
        var downloaded2 = A.Download(first.MaterialId, 2, "agent.hz1", Agents)!;
        Assert.Equal(SHA256.HashData(v1), SHA256.HashData(downloaded1.Content));
        Assert.Equal(v1.Length, downloaded1.Content.Length);
        Assert.Equal(SHA256.HashData(v2), SHA256.HashData(downloaded2.Content));
        Assert.Equal(("Offer sheet", "application/pdf"), (downloaded1.Material.Title, downloaded1.Material.ContentType));
        Assert.Equal("Offer sheet 2027", downloaded2.Material.Title);

        // the list shows the newest version, the versions newest first, on either node
        Assert.Equal([(first.MaterialId, 2)], A.List(Agents).Select(m => (m.MaterialId, m.Version)));
        Assert.Equal([2, 1], B.Versions(first.MaterialId, Administrators).Select(m => m.Version));
        Assert.Null(B.Download(first.MaterialId, 3, "agent.hz1", Agents));
        Assert.Throws<MaterialException>(() => A.Upload(first.MaterialId + 1000, "Nothing", "document", "x.txt", [1], ["agent"], "supervisor.hz"));

        // every download is audited, on the node that served it, in the shared audit log
        Assert.Equal(["denied", "ok", "ok"], First.OpsQuery<string>(
            "select outcome from ops.audit_log where action = 'material_download' order by outcome"));
    }

    [SkippableFact]
    public void Each_version_is_seen_by_the_roles_it_names_and_administrators_see_all()
    {
        var script = A.Upload(null, "Renewal script", "script", "renewal.md", "# v1"u8.ToArray(), ["agent", "supervisor"], "supervisor.hz");
        var sheet = B.Upload(null, "Rates", "document", "rates.xlsx", MaterialSamples.Xlsx(), ["analyst"], "admin");
        // the new version names supervisors only: agents still open the first, the list (newest versions) shows them none
        B.Upload(script.MaterialId, "Renewal script", "script", "renewal.md", "# v2"u8.ToArray(), ["supervisor"], "supervisor.hz");

        Assert.Empty(A.List(Agents));
        Assert.Equal([1], B.Versions(script.MaterialId, Agents).Select(m => m.Version));
        Assert.Equal("# v1"u8.ToArray(), A.Download(script.MaterialId, 1, "agent.hz1", Agents)!.Content);
        Assert.Null(A.Download(script.MaterialId, 2, "agent.hz1", Agents));
        Assert.Equal([(script.MaterialId, 2)], B.List(Supervisors).Select(m => (m.MaterialId, m.Version)));
        Assert.Equal([sheet.MaterialId], A.List(Analysts).Select(m => m.MaterialId));
        Assert.Null(B.Download(sheet.MaterialId, 1, "agent.hz1", Agents));
        Assert.Equal([script.MaterialId, sheet.MaterialId], A.List(Administrators).Select(m => m.MaterialId));
        Assert.Equal(2, First.OpsScalar<long>(
            "select count(*) from ops.audit_log where action = 'material_download' and outcome = 'denied'"));

        // a refused upload writes nothing
        Assert.Throws<MaterialException>(() => A.Upload(null, "Tool", "script", "tool.exe", [1], ["agent"], "admin"));
        Assert.Throws<MaterialException>(() => A.Upload(null, "Empty", "script", "empty.txt", [], ["agent"], "admin"));
        Assert.Throws<MaterialException>(() => A.Upload(null, "Big", "document", "big.pdf", new byte[MaterialLibrary.MaxBytes + 1], ["agent"], "admin"));
        Assert.Throws<MaterialException>(() => A.Upload(null, "Nobody", "document", "x.pdf", MaterialSamples.Pdf(), [], "admin"));
        Assert.Throws<MaterialException>(() => A.Upload(null, "Poster", "poster", "x.pdf", MaterialSamples.Pdf(), ["agent"], "admin"));
        // a PNG named .pdf: refused by its content, nothing stored
        var mismatch = Assert.Throws<MaterialException>(() => A.Upload(null, "Poster", "document", "poster.pdf", MaterialSamples.Png(), ["agent"], "admin"));
        Assert.Equal(MaterialRefusal.Content, mismatch.Code);
        Assert.Equal<object>([".pdf", MaterialContentKind.Png], mismatch.Args);
        Assert.Equal(3L, First.OpsScalar<long>("select count(*) from ops.material"));
    }
}

/// <summary>The same library with the operational data in a real PostgreSQL that two nodes share.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MaterialLibraryTestsOnPostgres(PostgresServer postgres) : MaterialLibraryTests(postgres.NewOps())
{
    [SkippableFact]
    public void The_files_live_in_PostgreSQL_not_in_either_nodes_file()
    {
        var material = A.Upload(null, "Script", "script", "script.txt", "hello"u8.ToArray(), ["agent"], "supervisor.hz");

        Assert.Equal("hello"u8.ToArray(), First.OpsScalar<byte[]>(
            "select content from ops.material where material_id = $id and version = 1", new { id = material.MaterialId }));
        Assert.Equal(0L, First.Scalar<long>("select count(*) from ops.material"));
        Assert.Equal(0L, Second.Scalar<long>("select count(*) from ops.material"));
    }

    [SkippableFact]
    public void A_version_another_node_adds_at_the_same_moment_comes_first_and_this_upload_takes_the_next()
    {
        var material = A.Upload(null, "Script", "script", "script.txt", "v1"u8.ToArray(), ["agent"], "supervisor.hz");
        var connectionString = First.Db.Ops.Options.ConnectionString!;
        using var otherNode = new NpgsqlConnection(connectionString);
        otherNode.Open();

        Material mine;
        using (var tx = otherNode.BeginTransaction())
        {
            // the other node's version 2 is not committed yet when this node reads the next version, and is when it writes
            otherNode.Execute("""
                insert into ops.material (material_id, version, title, kind, file_name, content_type, size_bytes, content, roles,
                    uploaded_at, uploaded_by)
                values (@id, 2, 'Script', 'script', 'other.txt', 'text/plain', 5, @content, 'agent', now(), 'supervisor.nb')
                """, new { id = material.MaterialId, content = "other"u8.ToArray() }, tx);
            var upload = Task.Factory.StartNew(() => B.Upload(material.MaterialId, "Script", "script", "script.txt", "mine"u8.ToArray(),
                ["agent"], "supervisor.hz"), TaskCreationOptions.LongRunning);
            PostgresWaits.UntilWaitingForALock(connectionString, upload);
            tx.Commit();
            mine = upload.GetAwaiter().GetResult();
        }

        Assert.Equal((3, "script.txt"), (mine.Version, mine.FileName));
        Assert.Equal([3, 2, 1], A.Versions(material.MaterialId, Administrators).Select(m => m.Version));
        Assert.Equal("other"u8.ToArray(), A.Download(material.MaterialId, 2, "agent.hz1", Agents)!.Content);
        Assert.Equal("mine"u8.ToArray(), A.Download(material.MaterialId, 3, "agent.hz1", Agents)!.Content);
    }
}
