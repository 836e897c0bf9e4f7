using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Routing;

namespace Switchboard.FunctionalTests.Auth;

/// <summary>The security properties issue 8 asks for, each over real Kestrel (cross-origin and the reference app's
/// checks are in ReferenceAppOriginTests; anonymous, expired and tampered tokens in AuthenticationTests).</summary>
public class SecurityTests
{
    [Fact]
    public async Task PerUserGroups_OneUserNeverReceivesAnotherUsersMessages_EvenAskingForThem()
    {
        await using var app = await AuthTestApp.StartAsync();
        var expires = DateTime.UtcNow.AddMinutes(10);
        using var alice = await app.ConnectAsync($"/ws/inbox/?access_token={AuthTestApp.Token("alice", expires)}");

        // Bob asks for alice's inbox in every way a client can; the group comes from his token alone.
        using var bob = await app.ConnectAsync($"/ws/inbox/?access_token={AuthTestApp.Token("bob", expires)}&user=alice&group=user_alice");
        var layer = app.Server.Services.GetRequiredService<IChannelLayer>();

        await layer.GroupSendAsync(AuthTestApp.InboxConsumer.GroupOf("alice"), new LayerMessage("inbox.message") { ["text"] = "for alice" });
        await layer.GroupSendAsync(AuthTestApp.InboxConsumer.GroupOf("bob"), new LayerMessage("inbox.message") { ["text"] = "for bob" });

        Assert.Equal("for alice", (await alice.ReceiveMessageAsync().DefaultTimeout()).Text);
        Assert.Equal("for bob", (await bob.ReceiveMessageAsync().DefaultTimeout()).Text);
        Assert.Equal(403, await app.RefusedAsync("/ws/inbox/?user=alice"));
    }

    [Theory]
    [InlineData("eve*")]
    [InlineData("eve}{user_alice")]
    [InlineData("eve\nDEL *")]
    public async Task GroupFromAUserId_InvalidName_RefusedBeforeAnyLayerKeyIsMade(string userId)
    {
        await using var app = await AuthTestApp.StartAsync();
        var layer = app.Server.Services.GetRequiredService<IChannelLayer>();

        // The consumer derives user_{id} from the token; a name outside the layer's alphabet fails the handshake (500).
        Assert.Equal(500, await app.RefusedAsync($"/ws/inbox/?access_token={Uri.EscapeDataString(AuthTestApp.Token(userId, DateTime.UtcNow.AddMinutes(10)))}"));

        Assert.Contains(app.Server.Logs.Entries, e => e.Exception is ArgumentException && e.Exception.Message.Contains("Invalid group name", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.GroupSendAsync("user_" + userId, new LayerMessage("inbox.message")).AsTask());
    }

    [Theory]
    [InlineData("/ws/chat/a*b/")]
    [InlineData("/ws/chat/x:y/")]
    [InlineData("/ws/chat/%7Bchat%7D/")]
    [InlineData("/ws/chat/room%0Aflushall/")]
    [InlineData("/ws/chat/a%20b/")]
    public async Task ReferenceApp_RoomNamesOutsideTheLayerAlphabet_RefusedAtTheHandshake(string path)
    {
        await using var server = await KestrelTestServer.StartAsync(Chat.ChatServer.Application);

        Assert.Equal(404, await server.ConnectExpectingRefusalAsync(path));
    }

    [Fact]
    public async Task AuthorizeOnAConsumer_WithoutAddAuthorization_FailsClosed()
    {
        await using var server = await KestrelTestServer.StartAsync(
            new UrlRouter().Map<AuthTestApp.ProtectedConsumer>("ws/"),
            configureBuilder: builder => builder.Services.AddSingleton<AuthTestApp.BuildCounter>());

        Assert.Equal(500, await server.ConnectExpectingRefusalAsync("/ws/"));
        Assert.Contains(server.Logs.Entries, e => e.Exception?.Message.Contains("AddAuthorization()", StringComparison.Ordinal) == true);
        Assert.Equal(0, server.Services.GetRequiredService<AuthTestApp.BuildCounter>().Count);
    }
}
