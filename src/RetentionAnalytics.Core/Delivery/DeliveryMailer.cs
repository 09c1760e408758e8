using System.Net;
using System.Net.Mail;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Delivery;

/// <summary>Mails a delivered file when SMTP is configured; false when it was not sent (the inbox has it anyway).</summary>
public interface IDeliveryMailer
{
    Task<bool> TrySendAsync(string username, string subject, string fileName, string contentType, byte[] content, CancellationToken ct);
}

/// <summary><c>Delivery:Smtp</c>: without a host nothing is mailed.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public bool EnableSsl { get; set; } = true;
    public string? From { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}

/// <summary>System.Net.Mail to the address in <c>ops.app_user.email</c>; an account without one gets the inbox only.</summary>
public sealed class SmtpDeliveryMailer(Db db, SmtpOptions smtp, ILogger<SmtpDeliveryMailer> log) : IDeliveryMailer
{
    public async Task<bool> TrySendAsync(string username, string subject, string fileName, string contentType, byte[] content, CancellationToken ct)
    {
        if (!smtp.Configured)
        {
            return false;
        }
        string? email;
        using (var c = db.Ops.Connect())
        {
            email = c.ExecuteScalar<string?>(db.Ops.Sql.Get("delivery/app_user_email.sql"), new { username });
        }
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }
        try
        {
            using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                client.Credentials = new NetworkCredential(smtp.Username, smtp.Password);
            }
            using var message = new MailMessage(smtp.From!, email, subject, $"{subject}: {fileName}");
            using var attachment = new Attachment(new MemoryStream(content), fileName, contentType);
            message.Attachments.Add(attachment);
            await client.SendMailAsync(message, ct);
            return true;
        }
        catch (SmtpException ex)
        {
            // the file is in the inbox; the mail failure is logged by user name only
            log.LogWarning("Delivery mail to {Username} failed: {Status}", username, ex.StatusCode);
            return false;
        }
    }
}

/// <summary>For hosts without mail (the CLI, tests).</summary>
public sealed class NoDeliveryMailer : IDeliveryMailer
{
    public Task<bool> TrySendAsync(string username, string subject, string fileName, string contentType, byte[] content, CancellationToken ct) =>
        Task.FromResult(false);
}
