using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cubes;

public sealed record CubeView(long ViewId, string Owner, string Name, bool Shared, string CubeId, PivotRequest Request,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// Saved pivot views in <c>ops.cube_view</c>. Only the owner renames, shares, un-shares or deletes a view; a private
/// view opens for its owner only; a shared view opens for everyone, always over the viewer's own region scope
/// (the view stores the request, never numbers).
/// </summary>
public sealed class CubeViews(Db db, CubeCatalog catalog)
{
    public const int MaxNameLength = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Row(long view_id, string owner, string name, bool shared, string cube_id, string request_json,
        DateTime created_at, DateTime updated_at);

    public static string Serialize(PivotRequest request) => JsonSerializer.Serialize(request, Json);

    public static PivotRequest Deserialize(string json) =>
        JsonSerializer.Deserialize<PivotRequest>(json, Json) ?? throw new ArgumentException("empty view request");

    /// <summary>Saves a new view; the request must be valid against its cube.</summary>
    public long Save(string owner, string name, PivotRequest request, bool shared = false)
    {
        name = CheckName(name);
        catalog.Get(request.Cube);
        using var c = db.Connect();
        using var tx = c.BeginTransaction();
        if (c.ExecuteScalar<long>("select count(*) from ops.cube_view where owner = $owner and name = $name", new { owner, name }, tx) > 0)
        {
            throw new ArgumentException("you already have a view with this name");
        }
        var id = c.ExecuteScalar<long>("select nextval('ops.cube_view_id_seq')", transaction: tx);
        c.Execute("""
            insert into ops.cube_view values ($id, $owner, $name, $shared, $cube, $json, now(), now())
            """, new { id, owner, name, shared, cube = request.Cube, json = Serialize(request) }, tx);
        tx.Commit();
        return id;
    }

    /// <summary>Replaces the stored state of an own view (the screen's "save" on an opened view).</summary>
    public void Update(long viewId, string user, PivotRequest request)
    {
        catalog.Get(request.Cube);
        RequireOwner(viewId, user);
        using var c = db.Connect();
        c.Execute("update ops.cube_view set cube_id = $cube, request_json = $json, updated_at = now() where view_id = $viewId",
            new { viewId, cube = request.Cube, json = Serialize(request) });
    }

    public void Rename(long viewId, string user, string name)
    {
        name = CheckName(name);
        var view = RequireOwner(viewId, user);
        using var c = db.Connect();
        if (c.ExecuteScalar<long>("select count(*) from ops.cube_view where owner = $owner and name = $name and view_id <> $viewId",
                new { owner = view.Owner, name, viewId }) > 0)
        {
            throw new ArgumentException("you already have a view with this name");
        }
        c.Execute("update ops.cube_view set name = $name, updated_at = now() where view_id = $viewId", new { viewId, name });
    }

    public void SetShared(long viewId, string user, bool shared)
    {
        RequireOwner(viewId, user);
        using var c = db.Connect();
        c.Execute("update ops.cube_view set shared = $shared, updated_at = now() where view_id = $viewId", new { viewId, shared });
    }

    public void Delete(long viewId, string user)
    {
        RequireOwner(viewId, user);
        using var c = db.Connect();
        c.Execute("delete from ops.cube_view where view_id = $viewId", new { viewId });
    }

    /// <summary>The user's own views and everyone's shared views, by name.</summary>
    public IReadOnlyList<CubeView> List(string user)
    {
        using var c = db.Connect();
        return c.Query<Row>("""
                select * from ops.cube_view where owner = $user or shared order by lower(name), view_id
                """, new { user })
            .Select(ToView).ToList();
    }

    /// <exception cref="KeyNotFoundException">No such view.</exception>
    /// <exception cref="UnauthorizedAccessException">A private view of another user.</exception>
    public CubeView Open(long viewId, string user)
    {
        var view = Find(viewId) ?? throw new KeyNotFoundException($"no view {viewId}");
        return view.Shared || view.Owner == user ? view : throw new UnauthorizedAccessException($"view {viewId} is private");
    }

    private CubeView RequireOwner(long viewId, string user)
    {
        var view = Find(viewId) ?? throw new KeyNotFoundException($"no view {viewId}");
        return view.Owner == user ? view : throw new UnauthorizedAccessException($"only the owner may change view {viewId}");
    }

    private CubeView? Find(long viewId)
    {
        using var c = db.Connect();
        var row = c.QuerySingleOrDefault<Row>("select * from ops.cube_view where view_id = $viewId", new { viewId });
        return row is null ? null : ToView(row);
    }

    private static CubeView ToView(Row r) =>
        new(r.view_id, r.owner, r.name, r.shared, r.cube_id, Deserialize(r.request_json), r.created_at, r.updated_at);

    private static string CheckName(string name)
    {
        name = (name ?? "").Trim();
        return name.Length is > 0 and <= MaxNameLength ? name : throw new ArgumentException($"a view name has 1..{MaxNameLength} characters");
    }
}
