using System.Data;
using System.Globalization;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Sms;

/// <summary>Who acts on a send: the portal fills it from the signed-in user.</summary>
public sealed record SmsActor(string Username, RegionScope Scope, bool IsSupervisor, bool IsAdministrator);

public sealed record SmsSend(
    long SendId, string TemplateId, string Language, int TemplateVersion, string AudienceKind, string AudienceRef,
    bool ScopeAll, string? ScopeCities, int Recipients, string Status, string RequestedBy, DateTime RequestedAt,
    string? ApprovedBy, DateTime? ApprovedAt)
{
    public RegionScope Scope => ScopeAll ? RegionScope.WholeProvince
        : RegionScope.ForCities((ScopeCities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// A send that may not happen as asked: wrong role, approving one's own send, wrong state, a value missing for the
/// message. <see cref="Code"/> names the problem for the portal's texts, <see cref="Args"/> its details.
/// </summary>
public sealed class SmsSendException(string code, string message, params object[] args) : Exception(message)
{
    public string Code { get; } = code;
    public IReadOnlyList<object> Args { get; } = args;
}

/// <summary>
/// What a send would really be: its recipients, those who would not get it for a missing value, and the segments of the
/// messages as rendered for each (a Chinese name makes a message UCS-2), with one rendered message as a sample.
/// </summary>
public sealed record SmsSendPreview(
    int Recipients, int MissingValues, int Messages, int Segments, int Ucs2Messages, string? SampleSubscriberId, RenderedSms? Sample);

/// <summary>
/// Send requests: a supervisor asks for a template to go to an audience drawn in their scope. Up to
/// <see cref="SmsOptions.ApprovalThreshold"/> recipients it is approved at once; above it a second person (another
/// supervisor or an administrator) approves. On approval every recipient gets one outbox message with the idempotency
/// key <c>sms:&lt;send_id&gt;:&lt;subscriber_id&gt;</c>; compliance is checked again when each message is dispatched.
/// </summary>
public sealed class SmsSends(Db db, SmsTemplates templates, SmsAudiences audiences, SmsOptions options, AuditLog audit, RegionClock clock)
{
    private const int RenderBatch = 2000;

    public SmsSend Request(string templateId, string language, SmsAudience audience, SmsActor actor)
    {
        if (!actor.IsSupervisor)
        {
            throw new SmsSendException("supervisor_only", "a send needs the supervisor role");
        }
        return Create(templateId, language, audience, actor);
    }

    /// <summary>
    /// An agent's SMS to the subscriber of the task they are working, instead of (another) call: one recipient,
    /// approved at once, enqueued with the same compliance checks at dispatch (blacklist, opt-out, quiet hours, contact
    /// pressure). The gateway's acceptance records the contact on the task. Another agent's task is refused and audited.
    /// </summary>
    public SmsSend RequestForTask(long taskId, string templateId, string language, SmsActor agent)
    {
        using (var c = db.Connect())
        {
            if (c.ExecuteScalar<long?>(db.Sql.Get("sms/task_of_agent.sql"), new { task_id = taskId, username = agent.Username }) is null)
            {
                audit.Write(agent.Username, "task_denied", $"task:{taskId}", "denied", "sms for a task not in progress with this agent");
                throw new SmsSendException("task_not_yours", $"task {taskId} is not in progress with you", taskId);
            }
        }
        var audience = new SmsAudience(SmsAudience.Task, taskId.ToString(CultureInfo.InvariantCulture));
        // one customer: a message missing a value is refused here, where the agent can pick another template
        var template = Usable(templateId, language);
        if (Preview(template, audience, agent.Scope) is { MissingValues: > 0, Sample: { } sample })
        {
            throw new SmsSendException("missing_values", $"no value for {string.Join(", ", sample.Missing)}",
                string.Join(", ", sample.Missing.Select(m => "{" + m + "}")));
        }
        return Create(templateId, language, audience, agent);
    }

    /// <summary>
    /// The send as it would go out: every recipient's message rendered (in batches), counted by segments and encoding,
    /// and the recipients without a value for a field the template names (they would be suppressed).
    /// </summary>
    public SmsSendPreview Preview(SmsTemplate template, SmsAudience audience, RegionScope scope)
    {
        var members = audiences.Members(audience, scope);
        int missing = 0, messages = 0, segments = 0, ucs2 = 0;
        string? sampleId = null;
        RenderedSms? sample = null;
        foreach (var batch in members.Select(m => m.SubscriberId).Distinct().Order(StringComparer.Ordinal).Chunk(RenderBatch))
        {
            foreach (var f in templates.FieldsOf(batch, scope).OrderBy(f => f.SubscriberId, StringComparer.Ordinal))
            {
                var rendered = SmsTemplates.RenderFor(template.Language, template.Body, f.Value);
                // the sample is the first recipient, or the first one missing a value: what the sender must see
                if (sample is null || (sample.IsComplete && !rendered.IsComplete))
                {
                    (sampleId, sample) = (f.SubscriberId, rendered);
                }
                if (!rendered.IsComplete)
                {
                    missing++;
                    continue;
                }
                var info = SmsSegments.Measure(rendered.Text);
                messages++;
                segments += info.Segments;
                ucs2 += info.Encoding == SmsSegments.Ucs2 ? 1 : 0;
            }
        }
        return new SmsSendPreview(members.Count, missing, messages, segments, ucs2, sampleId, sample);
    }

    private SmsTemplate Usable(string templateId, string language)
    {
        var template = templates.Current(templateId, language)
            ?? throw new SmsSendException("no_template", $"no template {templateId}/{language}", $"{templateId}/{language}");
        return template.Active
            ? template
            : throw new SmsSendException("template_inactive", $"template {templateId}/{language} is not active", $"{templateId}/{language}");
    }

    private SmsSend Create(string templateId, string language, SmsAudience audience, SmsActor actor)
    {
        var template = Usable(templateId, language);
        var members = audiences.Members(audience, actor.Scope);
        if (members.Count == 0)
        {
            throw new SmsSendException("audience_empty", "the audience is empty in your scope");
        }
        var needsApproval = members.Count > options.ApprovalThreshold;
        var now = Now();
        long sendId;
        using (var c = db.Ops.Connect())
        {
            sendId = c.ExecuteScalar<long>("select nextval('ops.sms_send_id_seq')");
            c.Execute(db.Ops.Sql.Get("sms/insert_send.sql"), new
            {
                send_id = sendId, template_id = templateId, language, template_version = template.Version,
                audience_kind = audience.Kind, audience_ref = audience.Ref, scope_all = actor.Scope.Province,
                scope_cities = string.Join(',', actor.Scope.Cities), recipients = members.Count,
                status = needsApproval ? "pending_approval" : "approved", requested_by = actor.Username, now,
                approved_by = needsApproval ? null : actor.Username, approved_at = needsApproval ? (DateTime?)null : now,
            });
        }
        audit.Write(actor.Username, "sms_send_request", $"sms_send:{sendId}",
            detail: $"{audience} recipients={members.Count}{(needsApproval ? " awaiting approval" : "")}");
        var send = Get(sendId)!;
        if (!needsApproval)
        {
            Enqueue(send, template, members);
        }
        return Get(sendId)!;
    }

    public SmsSend Approve(long sendId, SmsActor approver)
    {
        var send = Get(sendId) ?? throw new SmsSendException("no_send", $"no send {sendId}", sendId);
        CheckApprover(send, approver);
        using (var c = db.Ops.Connect())
        {
            // conditional: two approvers at once approve (and enqueue) once
            var changed = c.Execute(db.Ops.Sql.Get("sms/approve_send.sql"), new { send_id = sendId, username = approver.Username, now = Now() });
            if (changed == 0)
            {
                throw new SmsSendException("not_awaiting_approval", $"send {sendId} is no longer awaiting approval", sendId);
            }
        }
        audit.Write(approver.Username, "sms_send_approve", $"sms_send:{sendId}", detail: $"recipients={send.Recipients}");
        var template = templates.History(send.TemplateId, send.Language).Single(t => t.Version == send.TemplateVersion);
        // the audience is drawn again in the requester's scope: who opted out or left since is not enqueued
        Enqueue(Get(sendId)!, template, audiences.Members(new SmsAudience(send.AudienceKind, send.AudienceRef), send.Scope));
        return Get(sendId)!;
    }

    public SmsSend Reject(long sendId, SmsActor approver)
    {
        var send = Get(sendId) ?? throw new SmsSendException("no_send", $"no send {sendId}", sendId);
        CheckApprover(send, approver);
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("sms/reject_send.sql"), new { send_id = sendId, username = approver.Username, now = Now() });
        audit.Write(approver.Username, "sms_send_reject", $"sms_send:{sendId}");
        return Get(sendId)!;
    }

    public SmsSend? Get(long sendId) => List(RegionScope.WholeProvince, sendId).SingleOrDefault();

    /// <summary>Sends whose scope lies within the reader's: a city supervisor sees their city's sends only.</summary>
    public IReadOnlyList<SmsSend> List(RegionScope reader, long? sendId = null)
    {
        if (reader.IsEmpty)
        {
            return [];
        }
        using var c = db.Ops.Connect();
        return c.Query<SmsSend>(db.Ops.Sql.Get("sms/sends.sql"), new { send_id = sendId }).Where(s => Within(s.Scope, reader)).ToList();
    }

    private static bool Within(RegionScope inner, RegionScope outer) =>
        outer.Province || !inner.Province && inner.Cities.All(outer.Cities.Contains);

    private static void CheckApprover(SmsSend send, SmsActor approver)
    {
        if (!approver.IsSupervisor && !approver.IsAdministrator)
        {
            throw new SmsSendException("approver_role", "approval needs a supervisor or an administrator");
        }
        if (string.Equals(send.RequestedBy, approver.Username, StringComparison.OrdinalIgnoreCase))
        {
            throw new SmsSendException("own_send", "a send is approved by someone other than its requester");
        }
        if (!Within(send.Scope, approver.Scope))
        {
            throw new SmsSendException("beyond_scope", "the send reaches beyond your scope");
        }
    }

    /// <summary>
    /// One outbox message per member, rendered in batches and appended to a temporary table, then inserted set-based
    /// with new ids; a key already in the outbox is skipped, so enqueueing twice adds nothing. A message missing a
    /// value is kept as suppressed (missing_value), so the send's figures add up and nobody gets "ends on .".
    /// </summary>
    private void Enqueue(SmsSend send, SmsTemplate template, IReadOnlyList<AudienceMember> members)
    {
        var now = Now();
        using var c = db.Ops.Connect();
        c.Execute("""
            drop table if exists sms_new_message;
            create temp table sms_new_message (
                subscriber_id varchar, city_code varchar, idempotency_key varchar, body varchar, encoding varchar, segments integer,
                status varchar, suppressed_reason varchar)
            """);
        foreach (var batch in members.Select(m => m.SubscriberId).Distinct().Chunk(RenderBatch))
        {
            OpsDb.Append(c, null, "sms_new_message",
                ["subscriber_id", "city_code", "idempotency_key", "body", "encoding", "segments", "status", "suppressed_reason"],
                templates.FieldsOf(batch, send.Scope).Select(f =>
                {
                    var rendered = SmsTemplates.RenderFor(template.Language, template.Body, f.Value);
                    var info = SmsSegments.Measure(rendered.Text);
                    return new object?[]
                    {
                        f.SubscriberId, f.CityCode, IdempotencyKey(send.SendId, f.SubscriberId), rendered.Text, info.Encoding,
                        info.Segments, rendered.IsComplete ? "pending" : "suppressed", rendered.IsComplete ? null : "missing_value",
                    };
                }).ToList());
        }
        var added = c.Execute(db.Ops.Sql.Get("sms/enqueue_messages.sql"), new { send_id = send.SendId, now });
        c.Execute("drop table sms_new_message");
        audit.Write(send.ApprovedBy ?? send.RequestedBy, "sms_enqueue", $"sms_send:{send.SendId}", detail: $"messages={added}");
    }

    public static string IdempotencyKey(long sendId, string subscriberId) => $"sms:{sendId}:{subscriberId}";

    private DateTime Now() => clock.Now;
}
