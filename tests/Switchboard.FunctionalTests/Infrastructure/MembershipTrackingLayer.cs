using System.Collections.Concurrent;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// The real in-memory layer, with its group memberships counted on the way through, so that a test can see a
/// connection's memberships go when the connection does (the layer itself does not list members).
/// </summary>
public sealed class MembershipTrackingLayer(InMemoryChannelLayer inner) : IChannelLayer
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _groups = new(StringComparer.Ordinal);

    public int MemberCount(string group) => _groups.TryGetValue(group, out var members) ? members.Count : 0;

    /// <summary>Waits, bounded, until the group has <paramref name="count"/> members.</summary>
    public async Task WaitForMemberCountAsync(string group, int count)
    {
        for (var i = 0; i < 500 && MemberCount(group) != count; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(count, MemberCount(group));
    }

    public ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default) =>
        inner.SendAsync(channel, message, cancellationToken);

    public ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken = default) =>
        inner.ReceiveAsync(channel, cancellationToken);

    public ValueTask<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default) =>
        inner.NewChannelAsync(prefix, cancellationToken);

    public async ValueTask GroupAddAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        await inner.GroupAddAsync(group, channel, cancellationToken);
        _groups.GetOrAdd(group, static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[channel] = 0;
    }

    public async ValueTask GroupDiscardAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        await inner.GroupDiscardAsync(group, channel, cancellationToken);
        if (_groups.TryGetValue(group, out var members))
        {
            members.TryRemove(channel, out _);
        }
    }

    public ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default) =>
        inner.GroupSendAsync(group, message, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
}
