using System.Net;
using System.Net.WebSockets;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Auth;

/// <summary>The ASP.NET Core session in the scope: loaded at the handshake, written from a consumer, saved explicitly;
/// login and logout from a consumer (Channels' login/logout).</summary>
public class SessionTests
{
    [Fact]
    public async Task Session_SetOverHttp_ReadInTheConsumer_WrittenThereAndSaved_ReadBackOverHttp()
    {
        await using var app = await AuthTestApp.StartAsync();
        using var browser = app.Browser(out var cookies);
        (await browser.PostAsync("/session?color=blue", null)).EnsureSuccessStatusCode();

        using var socket = await app.ConnectAsync("/ws/session/", cookies);
        Assert.Equal("blue", await AskAsync(socket, "get"));
        Assert.Equal("saved", await AskAsync(socket, "set green"));

        Assert.Equal("green", await browser.GetStringAsync("/session"));
    }

    [Fact]
    public async Task Session_AnotherBrowser_DoesNotSeeIt()
    {
        await using var app = await AuthTestApp.StartAsync();
        using var alice = app.Browser(out var aliceCookies);
        (await alice.PostAsync("/session?color=blue", null)).EnsureSuccessStatusCode();
        using var other = app.Browser(out var otherCookies);
        (await other.PostAsync("/session?color=red", null)).EnsureSuccessStatusCode();

        using var socket = await app.ConnectAsync("/ws/session/", otherCookies);

        Assert.Equal("red", await AskAsync(socket, "get"));
    }

    [Fact]
    public async Task LoginInAConsumer_SetsTheScopeUser_AndTheNextConnectionOfThatBrowserHasIt_LogoutUndoesBoth()
    {
        await using var app = await AuthTestApp.StartAsync();
        using var browser = app.Browser(out var cookies);
        (await browser.PostAsync("/session?color=blue", null)).EnsureSuccessStatusCode();
        Assert.Equal(403, await app.RefusedAsync("/ws/protected/", cookies));

        using (var socket = await app.ConnectAsync("/ws/session/", cookies))
        {
            Assert.Equal("anonymous", await AskAsync(socket, "whoami"));
            Assert.Equal("carol", await AskAsync(socket, "login carol"));
            Assert.Equal("carol", await AskAsync(socket, "whoami"));
        }

        using (var protectedSocket = await app.ConnectAsync("/ws/protected/", cookies))
        {
            Assert.Equal("carol", await AskAsync(protectedSocket, "whoami"));
        }

        using (var socket = await app.ConnectAsync("/ws/session/", cookies))
        {
            Assert.Equal("carol", await AskAsync(socket, "whoami"));
            Assert.Equal("anonymous", await AskAsync(socket, "logout"));
            Assert.Equal("(none)", await AskAsync(socket, "get"));
        }

        Assert.Equal(403, await app.RefusedAsync("/ws/protected/", cookies));
    }

    [Fact]
    public async Task SessionMiddleware_WithoutUseSession_RefusesWith500NamingTheFix()
    {
        await using var server = await KestrelTestServer.StartAsync(
            new Sessions.SessionMiddlewareStack(Consumer.AsApplication<AuthTestApp.SessionConsumer>()));

        Assert.Equal(500, await server.ConnectExpectingRefusalAsync("/ws/"));
        Assert.Contains(server.Logs.Entries, e => e.Exception?.Message.Contains("app.UseSession()", StringComparison.Ordinal) == true);
    }

    private static async Task<string> AskAsync(WebSocket socket, string command)
    {
        await socket.SendTextAsync(command);
        return (await socket.ReceiveMessageAsync().DefaultTimeout()).Text;
    }
}
