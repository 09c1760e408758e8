using System.Data.Common;
using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cubes;

public sealed record CubeView(long ViewId, string Owner, string Name, bool Shared, string CubeId, PivotRequest Request,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// Saved pivot views in <c>ops.cube_view</c>. Only the owner renames, shares, un-shares or deletes a view; a private
/// view opens for its owner only; a shared view opens for everyone, always over the viewer's own region scope
/// (the view stores the request, never numbers). Views are operational data (<see cref="Db.Ops"/>), so every portal
/// node reads the views saved on any other.
/// </summary>
public sealed class CubeViews(Db db, CubeCatalog catalog)
{
    public const int MaxNameLength = 100;
    private const string NameTaken = "you already have a view with this name";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Row(long view_id, string owner, string name, bool shared, string cube_id, string request_json,
        DateTime created_at, DateTime updated_at);

    public static string Serialize(PivotRequest request) => JsonSerializer.Serialize(request, Json);

    public static PivotRequest Deserialize(string json) =>
        JsonSerializer.Deserialize<PivotRequest>(json, Json) ?? throw new CubeRequestException(CubeRefusal.EmptyView, "empty view request");

    /// <summary>Saves a new view; the request must be valid against its cube.</summary>
    public long Save(string owner, string name, PivotRequest request, bool shared = false)
    {
        name = CheckName(name);
        catalog.Get(request.Cube);
        using var c = db.Ops.Connect();
        using var tx = c.BeginTransaction();
        RequireFreeName(c, tx, owner, name, viewId: 0);
        var id = Unique(() => c.ExecuteScalar<long>(db.Ops.Sql.Get("cubes/view_insert.sql"),
            new { owner, name, shared, cube_id = request.Cube, request_json = Serialize(request) }, tx));
        tx.Commit();
        return id;
    }

    /// <summary>Replaces the stored state of an own view (the screen's "save" on an opened view).</summary>
    public void Update(long viewId, string user, PivotRequest request)
    {
        catalog.Get(request.Cube);
        RequireOwner(viewId, user);
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("cubes/view_update.sql"),
            new { view_id = viewId, cube_id = request.Cube, request_json = Serialize(request) });
    }

    public void Rename(long viewId, string user, string name)
    {
        name = CheckName(name);
        var view = RequireOwner(viewId, user);
        using var c = db.Ops.Connect();
        using var tx = c.BeginTransaction();
        RequireFreeName(c, tx, view.Owner, name, viewId);
        Unique(() => c.Execute(db.Ops.Sql.Get("cubes/view_rename.sql"), new { view_id = viewId, name }, tx));
        tx.Commit();
    }

    public void SetShared(long viewId, string user, bool shared)
    {
        RequireOwner(viewId, user);
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("cubes/view_set_shared.sql"), new { view_id = viewId, shared });
    }

    public void Delete(long viewId, string user)
    {
        RequireOwner(viewId, user);
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("cubes/view_delete.sql"), new { view_id = viewId });
    }

    /// <summary>The user's own views and everyone's shared views, by name.</summary>
    public IReadOnlyList<CubeView> List(string user)
    {
        using var c = db.Ops.Connect();
        return c.Query<Row>(db.Ops.Sql.Get("cubes/views_of_user.sql"), new { user }).Select(ToView).ToList();
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
        using var c = db.Ops.Connect();
        var row = c.QuerySingleOrDefault<Row>(db.Ops.Sql.Get("cubes/view_by_id.sql"), new { view_id = viewId });
        return row is null ? null : ToView(row);
    }

    private void RequireFreeName(DbConnection c, DbTransaction tx, string owner, string name, long viewId)
    {
        if (c.ExecuteScalar<long>(db.Ops.Sql.Get("cubes/view_name_taken.sql"), new { owner, name, view_id = viewId }, tx) > 0)
        {
            throw new CubeRequestException(CubeRefusal.ViewNameTaken, NameTaken);
        }
    }

    /// <summary>
    /// A write that another node's save or rename of the same name beat after the check (PostgreSQL's unique index on
    /// owner and name) is the same refusal as the check's.
    /// </summary>
    private static T Unique<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception ex) when (OpsDb.IsDuplicate(ex))
        {
            throw new CubeRequestException(CubeRefusal.ViewNameTaken, NameTaken);
        }
    }

    private static CubeView ToView(Row r) =>
        new(r.view_id, r.owner, r.name, r.shared, r.cube_id, Deserialize(r.request_json), r.created_at, r.updated_at);

    private static string CheckName(string name)
    {
        name = (name ?? "").Trim();
        return name.Length is > 0 and <= MaxNameLength ? name : throw new CubeRequestException(CubeRefusal.ViewName, $"a view name has 1..{MaxNameLength} characters", MaxNameLength);
    }
}
