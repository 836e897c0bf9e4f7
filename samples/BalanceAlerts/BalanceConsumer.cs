using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Switchboard;

namespace BalanceAlerts;

/// <summary><c>ws /ws/balance/</c>: signed-in users only; each joins the group of its own user and receives its alerts.</summary>
[Authorize]
public sealed class BalanceConsumer : JsonWebSocketConsumer
{
    public static string GroupOf(int userId) => $"user_{userId}";

    // The id comes from the authentication cookie, never from the client.
    protected override IEnumerable<string> Groups =>
        [GroupOf(int.Parse(Scope.User.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture))];

    protected override ValueTask OnJsonAsync(JsonElement content, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Handles <c>balance.alert</c>: passes it to the page as it came.</summary>
    public ValueTask BalanceAlertAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendJsonAsync(new Alert("balance.alert", message.GetBoolean("insufficient"), message.GetDouble("balance")), cancellationToken);

    private sealed record Alert(string Type, bool Insufficient, double Balance);
}
