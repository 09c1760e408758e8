using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Materials;

public sealed record Material(
    long MaterialId, int Version, string Title, string Kind, string FileName, string ContentType, long SizeBytes,
    string Roles, DateTime UploadedAt, string UploadedBy);

public sealed record MaterialFile(Material Material, byte[] Content);

/// <summary>Why the library refuses an upload (texts: MaterialRefusal_* in the portal's refusal resources).</summary>
public enum MaterialRefusal { FileType, FileSize, Content, Title, Kind, NoRoles, NoMaterial, ConcurrentUpload }

public sealed class MaterialException(MaterialRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>
/// Scripts, offer sheets and documents for the retention teams. An upload of an existing material adds a version
/// (older versions stay downloadable); each material names the portal roles that may see it (administrators see all).
/// Files are limited in size and type, and their content must be what their extension says (<see cref="MaterialContent"/>);
/// every download is audited. The materials are operational data (<see cref="Db.Ops"/>): a file uploaded on one portal
/// node is downloaded from any other.
/// </summary>
public sealed class MaterialLibrary(Db db, AuditLog audit, TimeProvider clock)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const string AdministratorRole = "administrator";

    public static readonly IReadOnlyList<string> Kinds = ["script", "offer_sheet", "document"];

    public static readonly IReadOnlyDictionary<string, string> AllowedTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
    };

    /// <param name="materialId">Null: a new material; otherwise a new version of it (title, kind and roles as given).</param>
    public Material Upload(long? materialId, string title, string kind, string fileName, byte[] content,
        IReadOnlyCollection<string> roles, string username)
    {
        var extension = Path.GetExtension(fileName);
        if (!AllowedTypes.TryGetValue(extension, out var contentType))
        {
            throw new MaterialException(MaterialRefusal.FileType, $"file type {extension} is not allowed; allowed: {string.Join(", ", AllowedTypes.Keys)}",
                extension.Length > 0 ? extension : "—", string.Join(" ", AllowedTypes.Keys));
        }
        if (content.Length == 0 || content.Length > MaxBytes)
        {
            throw new MaterialException(MaterialRefusal.FileSize, $"a file holds 1 byte .. {MaxBytes / 1024 / 1024} MB", MaxBytes / 1024 / 1024);
        }
        if (MaterialContent.Mismatch(extension, content) is { } actual)
        {
            // nothing is stored: a download would offer the file as what it is not
            throw new MaterialException(MaterialRefusal.Content, $"the file is named {extension} but its content looks like {actual}",
                extension.ToLowerInvariant(), actual);
        }
        if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
        {
            throw new MaterialException(MaterialRefusal.Title, "a material needs a title of 1..200 characters", 200);
        }
        if (!Kinds.Contains(kind))
        {
            throw new MaterialException(MaterialRefusal.Kind, $"kind must be one of {string.Join(", ", Kinds)}");
        }
        if (roles.Count == 0)
        {
            throw new MaterialException(MaterialRefusal.NoRoles, "name at least one role that may see the material");
        }
        var (id, version) = AddVersion(materialId, new
        {
            title = title.Trim(), kind, file_name = Path.GetFileName(fileName), content_type = contentType,
            size = (long)content.Length, content, roles = string.Join(',', roles.Distinct().Order()), now = db.Clock.At(clock.GetUtcNow()), username,
        });
        audit.Write(username, "material_upload", $"material:{id}", detail: $"version {version}, {content.Length} bytes");
        // the version written here, not the newest: another node may have added one since
        return Versions(id, new HashSet<string> { AdministratorRole }).First(m => m.Version == version);
    }

    /// <summary>
    /// Writes the next version (or version 1 of a new material). Two nodes that add a version of one material at the same
    /// instant both read the same next version; PostgreSQL's key on material and version refuses the second, which then
    /// takes the version after.
    /// </summary>
    private (long Id, int Version) AddVersion(long? materialId, object fields)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            var id = materialId ?? c.ExecuteScalar<long>(db.Ops.Sql.Get("materials/next_id.sql"), transaction: tx);
            var version = materialId is null ? 1
                : c.ExecuteScalar<int?>(db.Ops.Sql.Get("materials/next_version.sql"), new { material_id = id }, tx)
                    ?? throw new MaterialException(MaterialRefusal.NoMaterial, $"no material {id}", id);
            var args = new DynamicParameters(fields);
            args.Add("id", id);
            args.Add("version", version);
            try
            {
                c.Execute(db.Ops.Sql.Get("materials/insert_version.sql"), args, tx);
                tx.Commit();
                return (id, version);
            }
            catch (Exception ex) when (OpsDb.IsDuplicate(ex))
            {
                // another node's version of the same material came first: read the next one again
                if (attempt == 3)
                {
                    throw new MaterialException(MaterialRefusal.ConcurrentUpload, "other versions of this material are being uploaded at the same time; try again");
                }
            }
        }
    }

    /// <summary>The newest version of every material the roles may see.</summary>
    public IReadOnlyList<Material> List(IReadOnlySet<string> roles) =>
        Query(newestOnly: true, materialId: null).Where(m => MaySee(m, roles)).ToList();

    public IReadOnlyList<Material> Versions(long materialId, IReadOnlySet<string> roles) =>
        Query(newestOnly: false, materialId).Where(m => MaySee(m, roles)).ToList();

    /// <summary>The file of one version, or null when it does not exist or the roles may not see it (audited either way).</summary>
    public MaterialFile? Download(long materialId, int version, string username, IReadOnlySet<string> roles)
    {
        var material = Query(newestOnly: false, materialId).FirstOrDefault(m => m.Version == version);
        if (material is null || !MaySee(material, roles))
        {
            audit.Write(username, "material_download", $"material:{materialId}", outcome: "denied", detail: $"version {version}");
            return null;
        }
        byte[] content;
        using (var c = db.Ops.Connect())
        using (var reader = c.ExecuteReader(db.Ops.Sql.Get("materials/content.sql"), new { material_id = materialId, version }))
        {
            if (!reader.Read())
            {
                return null;
            }
            // DuckDB.NET hands a blob out as a stream over the reader's own memory, freed with the reader: copy it while
            // the reader is open. Npgsql hands a bytea out as an array.
            if (reader.GetValue(0) is Stream stream)
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                content = copy.ToArray();
            }
            else
            {
                content = (byte[])reader.GetValue(0);
            }
        }
        audit.Write(username, "material_download", $"material:{materialId}", detail: $"version {version}");
        return new MaterialFile(material, content);
    }

    public static bool MaySee(Material material, IReadOnlySet<string> roles) =>
        roles.Contains(AdministratorRole) || material.Roles.Split(',').Any(roles.Contains);

    private IReadOnlyList<Material> Query(bool newestOnly, long? materialId)
    {
        using var c = db.Ops.Connect();
        return c.Query<Material>(db.Ops.Sql.Get("materials/materials.sql"), new { newest_only = newestOnly, material_id = materialId }).ToList();
    }
}
