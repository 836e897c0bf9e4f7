using Switchboard.Sessions;
using Switchboard.Testing;

namespace Switchboard.Tests.Security;

public class CookieMiddlewareTests
{
    [Fact]
    public async Task Connect_CookieHeader_ParsedIntoTheScope()
    {
        IReadOnlyDictionary<string, string>? seen = null;
        var application = new CookieMiddleware(IApplication.Create(async (scope, receive, send) =>
        {
            seen = scope.Cookies;
            await receive(CancellationToken.None);
            await send(new WebSocketCloseEvent(), CancellationToken.None);
        }));
        await using var client = new WebSocketCommunicator(application, "/ws/", headers: [new("Cookie", "sessionid=abc%20def; theme=\"dark\"; sessionid=second; broken")]);

        await client.ConnectAsync();

        Assert.NotNull(seen);
        Assert.Equal("abc def", seen["sessionid"]);
        Assert.Equal("dark", seen["theme"]);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void Parse_NoCookieHeader_Empty() =>
        Assert.Empty(CookieMiddleware.Parse([new("origin", "http://a.example")]));
}
