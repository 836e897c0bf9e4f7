using System.Globalization;
using System.Text;

namespace BalanceAlerts;

/// <summary>Writes each e-mail as an <c>.eml</c> file into a pickup folder, as an SMTP server's pickup directory takes
/// them (Django's file-based e-mail backend).</summary>
public sealed class PickupFolderEmailSender(string folder) : IEmailSender
{
    public string Folder { get; } = folder;

    public async Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var message = new StringBuilder()
            .Append("To: ").Append(to).Append("\r\n")
            .Append("From: alerts@balance.example\r\n")
            .Append("Subject: ").Append(subject).Append("\r\n")
            .Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
            .Append(body);
        var path = Path.Combine(Folder, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(path, message.ToString(), cancellationToken);
    }
}
