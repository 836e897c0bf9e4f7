using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Switchboard;

namespace BalanceAlerts;

/// <summary>
/// The counterpart of the article's <c>post_save</c> signal: after a save that flips a user's <c>IsInsufficient</c>,
/// sends <c>{"type": "balance.alert", "insufficient": ..., "balance": ...}</c> to that user's group, and e-mails users
/// of the paying role who became insufficient.
/// </summary>
public sealed partial class BalanceAlertInterceptor(IChannelLayer layer, IEmailSender email, ILogger<BalanceAlertInterceptor> logger) : SaveChangesInterceptor
{
    // The flips seen before the save, sent only once it succeeded. One interceptor serves many contexts, so they are
    // kept per context.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<User>> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            var flipped = context.ChangeTracker.Entries<User>()
                .Where(e => e.State == EntityState.Modified && e.Property(u => u.IsInsufficient).IsModified
                    && (bool)e.Property(u => u.IsInsufficient).OriginalValue! != e.Entity.IsInsufficient)
                .Select(e => e.Entity)
                .ToList();
            _pending.AddOrUpdate(context, flipped);
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var flipped))
        {
            _pending.Remove(context);
            foreach (var user in flipped)
            {
                await layer.GroupSendAsync(
                    BalanceConsumer.GroupOf(user.Id),
                    new LayerMessage("balance.alert") { ["insufficient"] = user.IsInsufficient, ["balance"] = (double)user.Balance },
                    cancellationToken);
                Log.AlertSent(logger, user.UserName, user.IsInsufficient);
                if (user.IsInsufficient && user.Role == User.PayingRole)
                {
                    await email.SendAsync(user.Email, "Your balance is insufficient",
                        $"Hello {user.UserName},\n\nyour balance is {user.Balance:0.00}. Please top up your account.\n", cancellationToken);
                }
            }
        }

        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Balance alert for {User}: insufficient = {Insufficient}.")]
        public static partial void AlertSent(ILogger logger, string user, bool insufficient);
    }
}
