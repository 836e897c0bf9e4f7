using System.Net;
using System.Net.WebSockets;
using Microsoft.IdentityModel.Tokens;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Auth;

/// <summary>The user in the scope, from cookie authentication and JWT bearer at the handshake, and what requires one.</summary>
public class AuthenticationTests
{
    [Fact]
    public async Task Anonymous_OnAProtectedConsumer_RefusedWith403_AndTheConsumerIsNeverBuilt()
    {
        await using var app = await AuthTestApp.StartAsync();

        Assert.Equal(403, await app.RefusedAsync("/ws/protected/"));
        Assert.Equal(403, await app.RefusedAsync("/ws/admin/"));

        Assert.Equal(0, app.Builds.Count);
        Assert.True(app.Server.Logs.Contains("ConnectionUnauthenticated"));
    }

    [Fact]
    public async Task Anonymous_OnAnOpenRouteAndOnAllowAnonymous_AcceptedAsAnonymous()
    {
        await using var app = await AuthTestApp.StartAsync();

        using var open = await app.ConnectAsync("/ws/open/");
        using var allowed = await app.ConnectAsync("/ws/anonymous-allowed/");

        Assert.Equal("anonymous", await WhoAmIAsync(open));
        Assert.Equal("anonymous", await WhoAmIAsync(allowed));
    }

    [Fact]
    public async Task CookieLogin_TheHandshakeCarriesTheUser_ProtectedConsumerAccepted()
    {
        await using var app = await AuthTestApp.StartAsync();
        using var browser = app.Browser(out var cookies);
        (await browser.PostAsync("/login?user=alice", null)).EnsureSuccessStatusCode();

        using var socket = await app.ConnectAsync("/ws/protected/", cookies);

        Assert.Equal("alice", await WhoAmIAsync(socket));
    }

    [Fact]
    public async Task Policy_PerRoute_UserWithoutTheRoleRefused_AdminAccepted()
    {
        await using var app = await AuthTestApp.StartAsync();
        using var alice = app.Browser(out var aliceCookies);
        (await alice.PostAsync("/login?user=alice", null)).EnsureSuccessStatusCode();
        using var root = app.Browser(out var rootCookies);
        (await root.PostAsync("/login?user=root&role=admin", null)).EnsureSuccessStatusCode();

        Assert.Equal(403, await app.RefusedAsync("/ws/admin/", aliceCookies));
        using var socket = await app.ConnectAsync("/ws/admin/", rootCookies);

        Assert.Equal("root", await WhoAmIAsync(socket));
        Assert.True(app.Server.Logs.Contains("ConnectionForbidden"));
    }

    [Fact]
    public async Task Jwt_InTheAccessTokenQueryString_Accepted()
    {
        await using var app = await AuthTestApp.StartAsync();
        var token = AuthTestApp.Token("bob", DateTime.UtcNow.AddMinutes(10));

        using var socket = await app.ConnectAsync($"/ws/protected/?access_token={token}");

        Assert.Equal("bob", await WhoAmIAsync(socket));
    }

    [Fact]
    public async Task Jwt_ExpiredTamperedOrSignedWithAnotherKey_RefusedWith403()
    {
        await using var app = await AuthTestApp.StartAsync();
        var expired = AuthTestApp.Token("bob", DateTime.UtcNow.AddMinutes(-1));
        var valid = AuthTestApp.Token("bob", DateTime.UtcNow.AddMinutes(10));
        var parts = valid.Split('.');

        // bob's signature on a payload that claims to be admin, and on bob's payload with its last character changed.
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode("""{"sub":"admin","role":"admin","iss":"switchboard-tests","aud":"switchboard-tests","exp":4102444800}""")}.{parts[2]}";
        var tamperedPayload = $"{parts[0]}.{parts[1][..^1]}{(parts[1][^1] == 'A' ? 'B' : 'A')}.{parts[2]}";
        var otherKey = AuthTestApp.Token("bob", DateTime.UtcNow.AddMinutes(10), key: new SymmetricSecurityKey(new byte[64]));

        foreach (var token in new[] { expired, tampered, otherKey, tamperedPayload, "not-a-token" })
        {
            Assert.Equal(403, await app.RefusedAsync($"/ws/protected/?access_token={Uri.EscapeDataString(token)}"));
        }

        Assert.Equal(0, app.Builds.Count);
    }

    [Fact]
    public async Task CloseOnAuthenticationExpiration_TokenExpires_SocketClosedWith1008()
    {
        await using var app = await AuthTestApp.StartAsync(o => o.CloseOnAuthenticationExpiration = true);
        var expires = DateTime.UtcNow.AddMinutes(10);
        using var socket = await app.ConnectAsync($"/ws/protected/?access_token={AuthTestApp.Token("bob", expires)}");
        Assert.Equal("bob", await WhoAmIAsync(socket));

        await AdvanceAsync(app, TimeSpan.FromMinutes(9));
        Assert.Equal("bob", await WhoAmIAsync(socket));

        // The client reads before the clock passes the expiry, so it answers the server's close at once; each step
        // waits for that before the next, which would otherwise pass the close-handshake deadline on the same clock.
        var closing = socket.ReceiveCloseAsync();
        for (var step = 0; step < 10 && !closing.IsCompleted; step++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await closing.DefaultTimeout());
        Assert.Equal("Authentication expired", socket.CloseStatusDescription);
        Assert.True(app.Server.Logs.Contains("AuthenticationExpired"));
    }

    [Fact]
    public async Task CloseOnAuthenticationExpirationOff_ByDefault_SocketOutlivesTheToken()
    {
        await using var app = await AuthTestApp.StartAsync();
        using var socket = await app.ConnectAsync($"/ws/protected/?access_token={AuthTestApp.Token("bob", DateTime.UtcNow.AddMinutes(10))}");

        await AdvanceAsync(app, TimeSpan.FromMinutes(20));

        Assert.Equal("bob", await WhoAmIAsync(socket));
    }

    [Fact]
    public async Task Revalidation_UserRevoked_SocketClosedAtTheNextCheck()
    {
        await using var app = await AuthTestApp.StartAsync(o => o.RevalidationInterval = TimeSpan.FromMinutes(1));
        using var browser = app.Browser(out var cookies);
        (await browser.PostAsync("/login?user=alice", null)).EnsureSuccessStatusCode();
        using var socket = await app.ConnectAsync("/ws/protected/", cookies);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("alice", await WhoAmIAsync(socket));
        app.Revoked["alice"] = true;
        app.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ReceiveCloseAsync().DefaultTimeout());
        Assert.Equal("Authentication revoked", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task RevalidationInterval_WithoutARecheck_FailsNamingTheOption()
    {
        await using var app = await AuthTestApp.StartAsync(o =>
        {
            o.RevalidationInterval = TimeSpan.FromMinutes(1);
            o.RevalidateUser = null;
        });

        Assert.Equal(500, await app.RefusedAsync("/ws/open/"));
        Assert.Contains(app.Server.Logs.Entries, e => e.Exception?.Message.Contains("RevalidateUser", StringComparison.Ordinal) == true);
    }

    /// <summary>Moves the app's clock on in 30-second steps, letting the server run between them.</summary>
    private static async Task AdvanceAsync(AuthTestApp app, TimeSpan by)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += TimeSpan.FromSeconds(30))
        {
            app.Time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(10);
        }
    }

    private static async Task<string> WhoAmIAsync(WebSocket socket)
    {
        await socket.SendTextAsync("whoami");
        return (await socket.ReceiveMessageAsync().DefaultTimeout()).Text;
    }
}
