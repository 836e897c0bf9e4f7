using System.Net;
using Switchboard.AspNetCore;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Auth;

public class ScopeContentsTests
{
    [Fact]
    public async Task Handshake_ScopeCarriesHeadersQueryCookiesClientAndTheRequest()
    {
        var seen = new TaskCompletionSource<ConnectionScope>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            seen.TrySetResult(scope);
            await receive(CancellationToken.None);
            await send(new WebSocketCloseEvent(), CancellationToken.None);
        }));
        var cookies = new CookieContainer();
        cookies.Add(server.BaseAddress, new Cookie("sessionid", "abc123"));
        cookies.Add(server.BaseAddress, new Cookie("theme", "dark"));

        await server.ConnectExpectingRefusalAsync("/ws/?room=lobby&x=1", o =>
        {
            o.Cookies = cookies;
            o.SetRequestHeader("X-Trace", "t-1");
        });
        var scope = await seen.Task.DefaultTimeout();

        Assert.Equal("room=lobby&x=1", scope.QueryString);
        Assert.Equal("abc123", scope.Cookies["sessionid"]);
        Assert.Equal("dark", scope.Cookies["theme"]);
        Assert.Equal("t-1", scope.GetHeader("x-trace"));
        Assert.Equal(IPAddress.Loopback, scope.Client!.Address);
        Assert.False(scope.User.Identity!.IsAuthenticated);
        Assert.NotNull(scope.GetHttpContext());
    }
}
