namespace BalanceAlerts;

/// <summary>Sends an e-mail; pluggable (the sample's <see cref="PickupFolderEmailSender"/> writes files).</summary>
public interface IEmailSender
{
    Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken);
}
