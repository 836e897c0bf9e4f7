using Microsoft.Extensions.DependencyInjection;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Consumers;

/// <summary>Which services a handler gets: the connection's scope by default, or a scope per handled event.</summary>
public class ConsumerServiceScopeTests
{
    [Fact]
    public async Task Services_Default_OneScopeForTheWholeConnection()
    {
        var app = Consumer.AsApplication<ConnectionScopedConsumer>();
        await using var services = TestServices.Create(app, configure: s => s.AddScoped<UnitOfWork>());
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await client.SendTextAsync("a");
        await client.SendTextAsync("b");

        Assert.Equal(await client.ReceiveTextAsync(), await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Services_ScopePerEvent_EachEventItsOwnScopeDisposedAfterIt()
    {
        var app = Consumer.AsApplication<EventScopedConsumer>();
        await using var services = TestServices.Create(app, configure: s => s.AddScoped<UnitOfWork>());
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await client.SendTextAsync("a");
        await client.SendTextAsync("b");
        var first = await client.ReceiveTextAsync();
        var second = await client.ReceiveTextAsync();

        // Each scope is disposed when its handler returns, which can be just after the handler's frame reached the
        // client: wait for it, bounded.
        Assert.NotEqual(first, second);
        Assert.True(await DisposedWithinAsync(first, TimeSpan.FromSeconds(10)));
        Assert.True(await DisposedWithinAsync(second, TimeSpan.FromSeconds(10)));
    }

    private static async Task<bool> DisposedWithinAsync(string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!UnitOfWork.IsDisposed(id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return UnitOfWork.IsDisposed(id);
    }

    public sealed class UnitOfWork : IDisposable
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> s_disposed = new();

        public string Id { get; } = Guid.NewGuid().ToString("N");

        public static bool IsDisposed(string id) => s_disposed.ContainsKey(id);

        public void Dispose() => s_disposed[Id] = true;
    }

    private sealed class ConnectionScopedConsumer : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
            SendAsync(Services.GetRequiredService<UnitOfWork>().Id, cancellationToken);
    }

    private sealed class EventScopedConsumer : WebSocketConsumer
    {
        protected override bool ScopePerEvent => true;

        protected override async ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            var work = Services.GetRequiredService<UnitOfWork>();
            await SendAsync(work.Id, cancellationToken);
        }
    }
}
