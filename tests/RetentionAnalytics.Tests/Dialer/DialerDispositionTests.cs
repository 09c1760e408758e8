using System.Text;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Dialer;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Portal.Features.Dialer;
using static RetentionAnalytics.Tests.Dialer.DialerWorld;

namespace RetentionAnalytics.Tests.Dialer;

/// <summary>
/// Dispositions on a real DuckDB file become attempts and outcomes exactly like calls saved on the workbench (the
/// same outcome transaction: ops.contact, the task's attempts and status), once per lease or call id; the dialer list
/// exported as CSV and a results file imported back (rows in = applied + rejected, idempotent, formula-safe export).
/// </summary>
public sealed class DialerDispositionTests : IDisposable
{
    private readonly DialerWorld _d = new();
    private readonly long _campaign;

    public DialerDispositionTests()
    {
        _campaign = _d.W.Campaign();
        _d.W.Tasks(_campaign, 8);
        _d.Numbers();
        _d.Desk.Handover(SupervisorHz, _campaign, "progressive");
    }

    private (string Channel, string Outcome, string? Result, string Username) Contact(long contactId) =>
        _d.W.W.Query<(string, string, string?, string)>("select channel, outcome, result, username from ops.contact where contact_id = $contactId",
            new { contactId }).Single();

    [Fact]
    public void Each_disposition_is_an_attempt_and_an_outcome_on_the_task_like_a_call_saved_by_the_agent()
    {
        var records = _d.Dialer.Next("switch", _campaign, ["agent.hz1", "agent.hz2", "agent.hz3"]).Records;
        var more = _d.Dialer.Next("switch", _campaign, ["agent.hz1", "agent.hz2"]).Records;

        // answered, taken by another agent than the one it was served for: the task is that agent's, done with the result
        var answered = _d.Dialer.Report("switch", _campaign, records[0].LeaseId, new DispositionInput("answered", "agent.hz3", "retained", "price", CallId: "c-1"));
        Assert.Equal(("reached", "done"), (answered.Outcome, answered.Status));
        Assert.Equal(("call", "reached", "retained", "agent.hz3"), Contact(answered.ContactId));
        var task = _d.W.State(records[0].TaskId);
        Assert.Equal(("done", "agent.hz3", 1, "retained"), (task.Status, task.AssignedTo, task.Attempts, task.Result));

        var busy = _d.Dialer.Report("switch", _campaign, records[1].LeaseId, new DispositionInput("busy", null));
        Assert.Equal(("assigned", "agent.hz2", 1), (_d.W.State(records[1].TaskId).Status, _d.W.State(records[1].TaskId).AssignedTo, _d.W.State(records[1].TaskId).Attempts));
        Assert.Equal("busy", Contact(busy.ContactId).Outcome);
        var voicemail = _d.Dialer.Report("switch", _campaign, records[2].LeaseId, new DispositionInput("voicemail", null));
        Assert.Equal("no_answer", Contact(voicemail.ContactId).Outcome);
        var wrong = _d.Dialer.Report("switch", _campaign, more[0].LeaseId, new DispositionInput("wrong_number", null));
        Assert.Equal("closed", _d.W.State(more[0].TaskId).Status);
        var callback = _d.Dialer.Report("switch", _campaign, more[1].LeaseId,
            new DispositionInput("no_answer", null, CallbackAt: new DateTime(2026, 11, 5, 15, 30, 0)));
        Assert.Equal(("callback", new DateTime(2026, 11, 5, 15, 30, 0)), (_d.W.State(more[1].TaskId).Status, _d.W.State(more[1].TaskId).CallbackAt));

        // a repeated report changes nothing and answers the first attempt
        var again = _d.Dialer.Report("switch", _campaign, records[0].LeaseId, new DispositionInput("busy", "agent.hz1"));
        Assert.True(again.Repeated);
        Assert.Equal(answered.AttemptId, again.AttemptId);
        Assert.Equal(5L, _d.W.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(
            [("answered", answered.ContactId), ("busy", busy.ContactId), ("voicemail", voicemail.ContactId), ("wrong_number", wrong.ContactId), ("no_answer", callback.ContactId)],
            _d.W.W.Query<(string, long)>("select disposition, contact_id from ops.dialer_attempt order by attempt_id"));
        var progress = _d.Desk.Progress(SupervisorHz).Single();
        Assert.Equal((5L, 3L, 1L), (progress.Dialled, progress.Connected, progress.Reached));
        Assert.Equal(6L, progress.Remaining); // 8 tasks, one done, one closed
    }

    [Fact]
    public void A_refused_disposition_leaves_the_task_as_it_was_and_writes_nothing()
    {
        var record = _d.Dialer.Next("switch", _campaign, ["agent.hz1"]).Records.Single();
        var before = _d.W.State(record.TaskId);

        Assert.Equal((422, "result_required"), Code(() => _d.Dialer.Report("switch", _campaign, record.LeaseId, new DispositionInput("answered", null))));
        Assert.Equal((400, "invalid_disposition"), Code(() => _d.Dialer.Report("switch", _campaign, record.LeaseId, new DispositionInput("hung_up", null))));
        Assert.Equal((404, "unknown_agent"), Code(() => _d.Dialer.Report("switch", _campaign, record.LeaseId, new DispositionInput("busy", "analyst"))));
        Assert.Equal((422, "agent_out_of_scope"), Code(() => _d.Dialer.Report("switch", _campaign, record.LeaseId, new DispositionInput("busy", "agent.nb1"))));
        Assert.Equal((404, "unknown_lease"), Code(() => _d.Dialer.Report("switch", _campaign + 1, record.LeaseId, new DispositionInput("busy", null))));
        Assert.Equal((404, "unknown_lease"), Code(() => _d.Dialer.Report("another-dialer", _campaign, record.LeaseId, new DispositionInput("busy", null))));
        // after 21:00 on the customer's clock the call is refused as on the task page
        _d.W.Clock.Utc = new DateTime(2026, 11, 5, 21, 30, 0);
        Assert.Equal((422, "outside_calling_hours"), Code(() => _d.Dialer.Report("switch", _campaign, record.LeaseId, new DispositionInput("busy", null))));

        var after = _d.W.State(record.TaskId);
        Assert.Equal((before.Status, before.AssignedTo, before.Attempts), (after.Status, after.AssignedTo, after.Attempts));
        Assert.Equal(0L, _d.W.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(0L, _d.W.W.Scalar<long>("select count(*) from ops.dialer_attempt"));
    }

    private static (int, string) Code(Action report)
    {
        var ex = Assert.Throws<DialerException>(report);
        return (ex.Status, ex.Code);
    }

    [Fact]
    public void The_dialer_list_exports_formula_safe_and_its_results_file_imports_once()
    {
        _d.W.Exec("update dw.dim_customer set customer_name = '=HYPERLINK(\"http://x\")' where customer_id = 'CS00000'");
        var list = _d.Desk.List(SupervisorHz, _campaign);
        Assert.Equal(8, list.Count);
        using var file = new MemoryStream();
        new Exporter(new AuditLog(_d.W.W.Db)).Export(DialerList.Table(list), ExportFileType.Csv, file, new ExportAudit("supervisor.hz", $"dialer-list:{_campaign}"));
        var csv = Encoding.UTF8.GetString(file.ToArray()).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 1 ? csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries) : csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', DialerList.Headers.Select(h => $"\"{h}\"")), lines[0]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", csv);
        Assert.Equal(9, lines.Length);
        Assert.Equal(1L, _d.W.W.Scalar<long>("select count(*) from ops.audit_log where action = 'export' and target = $t", new { t = $"dialer-list:{_campaign}" }));

        // the dialer worked the list offline: its results file names the exported tasks
        var ids = list.Select(r => r.TaskId).ToList();
        var results = new StringBuilder("task_id,call_id,disposition,agent,result,churn_reason_id,callback_at,notes\n");
        results.Append($"{ids[0]},x-1,answered,agent.hz1,accepted_offer,,,\n");
        results.Append($"{ids[1]},x-2,busy,agent.hz2,,,,\n");
        results.Append($"{ids[2]},x-3,voicemail,agent.hz1,,,,\n");
        results.Append($"{ids[3]},x-4,hung_up,agent.hz1,,,,\n");            // unknown disposition
        results.Append($"{ids[4]},x-5,busy,agent.nb1,,,,\n");               // agent of another region
        results.Append("999999,x-6,busy,agent.hz1,,,,\n");                  // no task of this campaign
        results.Append($"{ids[5]},x-2,busy,agent.hz1,,,,\n");               // call id twice in the file
        results.Append($"{ids[6]},x-7,no_answer,agent.hz1,,,2026-11-05 17:00,\n");
        var first = _d.Import.Import(SupervisorHz, _campaign, new MemoryStream(Encoding.UTF8.GetBytes(results.ToString())), "results.csv");
        Assert.Equal((8, 4, 4), (first.RowsIn, first.Accepted, first.Rejected));
        Assert.Equal([4, 5, 6, 7], first.Rejections.Select(r => r.RowNo));
        Assert.Equal("invalid_disposition", first.Rejections[0].Reason);
        Assert.Equal("agent_out_of_scope", first.Rejections[1].Reason);
        Assert.Equal(("done", "accepted_offer"), (_d.W.State(ids[0]).Status, _d.W.State(ids[0]).Result));
        Assert.Equal("callback", _d.W.State(ids[6]).Status);
        var contacts = _d.W.W.Scalar<long>("select count(*) from ops.contact");
        Assert.Equal(4L, contacts);

        // the same file again: nothing applied twice, every row accounted for
        var second = _d.Import.Import(SupervisorHz, _campaign, new MemoryStream(Encoding.UTF8.GetBytes(results.ToString())), "results.csv");
        Assert.Equal((8, 0, 8), (second.RowsIn, second.Accepted, second.Rejected));
        Assert.Equal(contacts, _d.W.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(1, _d.W.State(ids[1]).Attempts);
        Assert.Equal(2L, _d.W.W.Scalar<long>("select count(*) from ops.import_run where kind = 'dialer_results'"));
        Assert.Equal(2L, _d.W.W.Scalar<long>("select count(*) from ops.audit_log where action = 'import' and target like 'dialer_results:%'"));

        // a file of another region's supervisor, or without the required columns, imports nothing
        Assert.Equal(404, Assert.Throws<DialerException>(() =>
            _d.Import.Import(SupervisorNb, _campaign, new MemoryStream(Encoding.UTF8.GetBytes(results.ToString())), "r.csv")).Status);
        Assert.Throws<RetentionAnalytics.Core.Imports.ImportFileException>(() =>
            _d.Import.Import(SupervisorHz, _campaign, new MemoryStream("task_id,disposition\n1,busy\n"u8.ToArray()), "r.csv"));
        // a broken file (an unterminated quote, binary garbage) is refused or rejected row by row, never an exception of the reader
        foreach (var broken in new[] { "task_id,call_id,disposition,agent\n\"1,x,busy,agent.hz1\n", "\0\u0001\u00ff,\"\n\"\"\"" })
        {
            var ex = Record.Exception(() => _d.Import.Import(SupervisorHz, _campaign, new MemoryStream(Encoding.UTF8.GetBytes(broken)), "b.csv"));
            Assert.True(ex is null or RetentionAnalytics.Core.Imports.ImportFileException, ex?.GetType().FullName);
        }
    }

    public void Dispose() => _d.Dispose();
}
