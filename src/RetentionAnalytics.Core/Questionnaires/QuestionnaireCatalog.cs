using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Refusals;
using RetentionAnalytics.Core.Warehouse;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RetentionAnalytics.Core.Questionnaires;

public sealed record QuestionnaireInfo(string QuestionnaireId, string NameEn, string NameDe, string NameZh, int? PublishedVersion, int? DraftVersion)
{
    public string Name(string language) => language switch { "de" => NameDe, "zh" => NameZh, _ => NameEn };
}

public sealed record QuestionnaireVersion(
    string QuestionnaireId, int Version, string Status, string DefinitionJson, DateTime CreatedAt, string CreatedBy,
    DateTime? PublishedAt, string? PublishedBy)
{
    public QuestionnaireDefinition Definition => QuestionnaireDefinition.FromJson(DefinitionJson);
}

/// <summary>A questionnaire change that cannot be made (invalid definition, no draft, unknown questionnaire).</summary>
/// <summary>Why a questionnaire is refused (texts: QuestionnaireRefusal_* in the portal's refusal resources).</summary>
public enum QuestionnaireRefusal
{
    SeedFile, NoQuestionnaire, NotADraft, Invalid,
    NoQuestions, QuestionId, IdTwice, UnknownType, NoEnglishText, TooFewOptions, OptionValues, OptionEnglishText, Scale,
    ShowIfNotEarlier, ShowIfAnswer,
}

public sealed class QuestionnaireException : RefusalException
{
    public QuestionnaireException(QuestionnaireRefusal code, string message, params object[] args) : base(code, message, args)
    {
    }

    /// <summary>The problems of a definition at once (each a refusal of its own).</summary>
    public QuestionnaireException(QuestionnaireRefusal code, string message, IReadOnlyList<QuestionnaireException> problems) : base(code, message, problems)
    {
    }
}

/// <summary>
/// Managed, versioned questionnaires. A version is edited as a draft and then published; a published version is never
/// changed, so answers stored against it keep their meaning. The newest published version is the one shown for new
/// answers. Seed definitions (data-samples/ops/questionnaires/*.yaml) are loaded for ids that do not exist yet. The
/// questionnaires are operational data (<see cref="Db.Ops"/>); the answers are written with the call's outcome, beside
/// the tasks (<see cref="QuestionnaireAnswers"/>).
/// </summary>
public sealed class QuestionnaireCatalog(Db db, AuditLog audit)
{
    public const string SeedFolder = "data-samples/ops/questionnaires";

    /// <summary>Loads every seed questionnaire that is not in the warehouse yet, published as version 1.</summary>
    public int EnsureSeeded(string? folder = null)
    {
        folder ??= Path.Combine(db.Options.ArtefactRoot, SeedFolder);
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        var added = 0;
        using var c = db.Ops.Connect();
        using var tx = c.BeginTransaction();
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var seed = yaml.Deserialize<SeedFile>(File.ReadAllText(file));
            if (c.ExecuteScalar<long>(db.Ops.Text("select count(*) from ops.questionnaire where questionnaire_id = $id"), new { id = seed.Id }, tx) > 0)
            {
                continue;
            }
            var definition = new QuestionnaireDefinition { Questions = seed.Questions };
            var problems = definition.Problems();
            if (problems.Count > 0)
            {
                throw new QuestionnaireException(QuestionnaireRefusal.SeedFile, $"{Path.GetFileName(file)}: {problems[0].Message}", problems);
            }
            c.Execute(db.Ops.Text("""
                insert into ops.questionnaire values ($id, $en, $de, $zh, now(), 'system');
                insert into ops.questionnaire_version values ($id, 1, 'published', $json, now(), 'system', now(), 'system');
                """), new { id = seed.Id, en = seed.Name.En, de = seed.Name.In("de"), zh = seed.Name.In("zh"), json = definition.ToJson() }, tx);
            added++;
        }
        tx.Commit();
        return added;
    }

    public IReadOnlyList<QuestionnaireInfo> All()
    {
        using var c = db.Ops.Connect();
        return c.Query<QuestionnaireInfo>(db.Ops.Sql.Get("campaigns/questionnaires.sql")).ToList();
    }

    public IReadOnlyList<QuestionnaireVersion> Versions(string questionnaireId)
    {
        using var c = db.Ops.Connect();
        return c.Query<QuestionnaireVersion>(db.Ops.Text(VersionSelect + " where questionnaire_id = $questionnaireId order by version desc"),
            new { questionnaireId }).ToList();
    }

    public QuestionnaireVersion? Version(string questionnaireId, int version) =>
        Versions(questionnaireId).FirstOrDefault(v => v.Version == version);

    /// <summary>The newest published version, the one new answers are given to.</summary>
    public QuestionnaireVersion? Current(string questionnaireId) =>
        Versions(questionnaireId).FirstOrDefault(v => v.Status == "published");

    /// <summary>The questionnaire of a campaign (ops.campaign.questionnaire_id), in its current version.</summary>
    public QuestionnaireVersion? ForCampaign(long campaignId)
    {
        // the campaign is the agents' (beside the warehouse), the questionnaire operational data
        using var c = db.Connect();
        // call lists from the detectors carry no questionnaire of their own: they use the general retention script
        var id = c.ExecuteScalar<string?>("""
            select coalesce(questionnaire_id, case when kind in ('scenario', 'retention') then 'retention' end)
            from ops.campaign where campaign_id = $campaignId
            """, new { campaignId });
        return id is null ? null : Current(id);
    }

    /// <summary>The draft of a questionnaire, made from the newest version when there is none.</summary>
    public QuestionnaireVersion Draft(string questionnaireId, string username)
    {
        var versions = Versions(questionnaireId);
        if (versions.FirstOrDefault(v => v.Status == "draft") is { } draft)
        {
            return draft;
        }
        var newest = versions.FirstOrDefault() ?? throw new QuestionnaireException(QuestionnaireRefusal.NoQuestionnaire, $"no questionnaire {questionnaireId}", questionnaireId);
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Text("insert into ops.questionnaire_version values ($questionnaireId, $version, 'draft', $json, now(), $username, null, null)"),
                new { questionnaireId, version = newest.Version + 1, json = newest.DefinitionJson, username });
        }
        return Versions(questionnaireId).First(v => v.Status == "draft");
    }

    /// <summary>Stores the draft's questions; a published version cannot be changed.</summary>
    public void SaveDraft(string questionnaireId, int version, QuestionnaireDefinition definition, string username)
    {
        using var c = db.Ops.Connect();
        var changed = c.Execute(db.Ops.Text("""
            update ops.questionnaire_version set definition_json = $json
            where questionnaire_id = $questionnaireId and version = $version and status = 'draft'
            """), new { questionnaireId, version, json = definition.ToJson() });
        if (changed == 0)
        {
            throw new QuestionnaireException(QuestionnaireRefusal.NotADraft, $"{questionnaireId} v{version} is not a draft", questionnaireId, version);
        }
        audit.Write(username, "questionnaire_change", $"{questionnaireId}:v{version}", detail: "draft saved");
    }

    /// <summary>Publishes the draft after checking it; answers to earlier versions stay on their versions.</summary>
    public QuestionnaireVersion Publish(string questionnaireId, int version, string username)
    {
        var draft = Version(questionnaireId, version);
        if (draft is not { Status: "draft" })
        {
            throw new QuestionnaireException(QuestionnaireRefusal.NotADraft, $"{questionnaireId} v{version} is not a draft", questionnaireId, version);
        }
        var problems = draft.Definition.Problems();
        if (problems.Count > 0)
        {
            throw new QuestionnaireException(QuestionnaireRefusal.Invalid, string.Join("; ", problems.Select(p => p.Message)), problems);
        }
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Text("""
                update ops.questionnaire_version set status = 'published', published_at = now(), published_by = $username
                where questionnaire_id = $questionnaireId and version = $version and status = 'draft'
                """), new { questionnaireId, version, username });
        }
        audit.Write(username, "questionnaire_change", $"{questionnaireId}:v{version}", detail: "published");
        return Version(questionnaireId, version)!;
    }

    private const string VersionSelect = """
        select questionnaire_id as QuestionnaireId, version as Version, status as Status, definition_json as DefinitionJson,
               created_at as CreatedAt, created_by as CreatedBy, published_at as PublishedAt, published_by as PublishedBy
        from ops.questionnaire_version
        """;

    private sealed class SeedFile
    {
        public string Id { get; set; } = "";
        public LocalText Name { get; set; } = new();
        public List<Question> Questions { get; set; } = [];
    }
}
