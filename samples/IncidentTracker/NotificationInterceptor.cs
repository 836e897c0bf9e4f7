using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Switchboard;

namespace IncidentTracker;

/// <summary>
/// The article's <c>post_save</c> and <c>post_delete</c> signals: after each save, every created, updated or deleted
/// incident or area goes to the <c>notifications</c> group as <c>{"type": "post_save" | "post_delete", "created": ...,
/// "feature": ...}</c>; an open incident inside an area whose severities include the incident's also sends
/// <c>{"type": "alert", "feature": ..., "areas_of_interest": [...]}</c>.
/// </summary>
public sealed class NotificationInterceptor(IChannelLayer layer) : SaveChangesInterceptor
{
    public const string Group = "notifications";

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<(object Entity, string Type, bool Created)>> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            _pending.AddOrUpdate(context, [.. context.ChangeTracker.Entries().Where(IsTracked).Select(Describe)]);
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is IncidentDbContext context && _pending.TryGetValue(context, out var changes))
        {
            _pending.Remove(context);
            foreach (var (entity, type, created) in changes)
            {
                var feature = entity is Incident incident ? GeoJson.Feature(incident) : GeoJson.Feature((AreaOfInterest)entity);
                await layer.GroupSendAsync(Group, new LayerMessage(type) { ["created"] = created, ["feature"] = feature }, cancellationToken);
                if (type == "post_save" && entity is Incident { Closed: false } open)
                {
                    await AlertAsync(context, open, feature, cancellationToken);
                }
            }
        }

        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    private async Task AlertAsync(IncidentDbContext context, Incident incident, string feature, CancellationToken cancellationToken)
    {
        var areas = (await context.Areas.AsNoTracking().ToListAsync(cancellationToken))
            .Where(a => a.SeverityList.Contains(incident.Severity) && a.Polygon.Contains(incident.Location))
            .Select(a => (object?)new Dictionary<string, object?>
            {
                ["id"] = (long)a.Id,
                ["name"] = a.Name,
                ["severity"] = a.Severity,
                ["url"] = $"/areas/{a.Id}",
            })
            .ToList();
        if (areas.Count > 0)
        {
            await layer.GroupSendAsync(Group, new LayerMessage("alert") { ["feature"] = feature, ["areas_of_interest"] = areas }, cancellationToken);
        }
    }

    private static bool IsTracked(EntityEntry entry) =>
        entry.Entity is Incident or AreaOfInterest && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted;

    private static (object, string, bool) Describe(EntityEntry entry) =>
        (entry.Entity, entry.State == EntityState.Deleted ? "post_delete" : "post_save", entry.State == EntityState.Added);
}
