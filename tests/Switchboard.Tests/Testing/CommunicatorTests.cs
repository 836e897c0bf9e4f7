using System.Net;
using System.Security.Claims;
using Switchboard.Testing;

namespace Switchboard.Tests.Testing;

public class CommunicatorTests
{
    [Fact]
    public async Task ReceiveTextAsync_HandlerThrew_ErrorNamesTheExceptionAndKeepsIt()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<ThrowingConsumer>(), "/ws/");
        await client.ConnectAsync();

        await client.SendTextAsync("go");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.ReceiveTextAsync());

        Assert.Contains("close", error.Message, StringComparison.Ordinal);
        Assert.Contains("A handler threw ArgumentException: the room is full", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Same(error.InnerException, Assert.Single(client.HandlerExceptions));
    }

    [Fact]
    public async Task ConfigureScope_UserAndClient_ReachTheConsumer()
    {
        var alice = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"));
        await using var client = new WebSocketCommunicator(
            Consumer.AsApplication<WhoAmIConsumer>(),
            "/ws/?room=7",
            headers: [new("cookie", "sessionid=abc")],
            configureScope: scope => scope with { User = alice, Client = new IPEndPoint(IPAddress.Parse("10.1.2.3"), 4242) });
        await client.ConnectAsync();

        await client.SendTextAsync("who");

        Assert.Equal("alice 10.1.2.3:4242 room=7 sessionid=abc", await client.ReceiveTextAsync());
    }

    [Fact]
    public void ConfigureScope_ChangesTheScopeType_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new HttpCommunicator(
            Consumer.AsApplication<WhoAmIConsumer>(), "GET", "/", configureScope: scope => scope with { Type = ScopeTypes.WebSocket }));

        Assert.Contains("needs a 'http' scope", error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingConsumer : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
            throw new ArgumentException("the room is full");
    }

    private sealed class WhoAmIConsumer : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
            SendAsync($"{Scope.User.Identity?.Name} {Scope.Client} {Scope.QueryString} {Scope.Headers.Single(h => h.Key == "cookie").Value}", cancellationToken);
    }
}
