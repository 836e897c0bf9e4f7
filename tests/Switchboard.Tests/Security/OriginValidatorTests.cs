using Switchboard.Security;
using Switchboard.Testing;

namespace Switchboard.Tests.Security;

/// <summary>Channels' origin rules (tests/security/test_websocket.py, ported in spirit), through a real handshake.</summary>
public class OriginValidatorTests
{
    [Theory]
    [InlineData("allowed-domain.com", "http://allowed-domain.com", true)]
    [InlineData("allowed-domain.com", "https://allowed-domain.com:8443", true)]
    [InlineData("allowed-domain.com", "http://bad-domain.com", false)]
    [InlineData("allowed-domain.com", "http://www.allowed-domain.com", false)]
    [InlineData("Allowed-Domain.COM", "http://allowed-domain.com", true)]
    [InlineData(".allowed-domain.com", "http://www.allowed-domain.com", true)]
    [InlineData(".allowed-domain.com", "http://allowed-domain.com", true)]
    [InlineData(".allowed-domain.com", "http://a.b.allowed-domain.com", true)]
    [InlineData(".allowed-domain.com", "http://notallowed-domain.com", false)]
    [InlineData("http://allowed-domain.com", "http://allowed-domain.com", true)]
    [InlineData("http://allowed-domain.com", "http://allowed-domain.com:80", true)]
    [InlineData("http://allowed-domain.com", "https://allowed-domain.com", false)]
    [InlineData("http://allowed-domain.com", "http://allowed-domain.com:8080", false)]
    [InlineData("http://allowed-domain.com", "https://bad-domain.com:443", false)]
    [InlineData("https://allowed-domain.com:443", "https://allowed-domain.com", true)]
    [InlineData("https://allowed-domain.com", "https://allowed-domain.com:443", true)]
    [InlineData("wss://allowed-domain.com", "wss://allowed-domain.com:443", true)]
    [InlineData("http://.allowed-domain.com", "http://www.allowed-domain.com", true)]
    [InlineData("http://.allowed-domain.com", "https://www.allowed-domain.com", false)]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000", true)]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8001", false)]
    [InlineData("[::1]", "http://[::1]:8000", true)]
    [InlineData("*", "http://anything.example", true)]
    [InlineData(".allowed-domain.com", "", false)]
    [InlineData(".allowed-domain.com", "something-invalid", false)]
    [InlineData(".allowed-domain.com", "null", false)]
    [InlineData("allowed-domain.com", "http://evil.example@allowed-domain.com", false)]
    [InlineData("allowed-domain.com", "http://allowed-domain.com/path", false)]
    public async Task ConnectAsync_OriginAgainstPattern_AcceptedOnlyWhenItMatches(string pattern, string origin, bool accepted)
    {
        var result = await ConnectAsync(new OriginValidator(AcceptingApplication(out var built), [pattern]), origin);

        Assert.Equal(accepted, result.Accepted);
        Assert.Equal(accepted, built());
    }

    [Fact]
    public async Task ConnectAsync_NoOriginByDefault_AcceptedAsANonBrowserClient()
    {
        var result = await ConnectAsync(new OriginValidator(AcceptingApplication(out _), ["allowed-domain.com"]), origin: null);

        Assert.True(result.Accepted);
    }

    [Theory]
    [InlineData(new[] { "allowed-domain.com" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "*" }, true)]
    public async Task ConnectAsync_NoOriginInStrictMode_RefusedUnlessEverythingIsAllowed(string[] patterns, bool accepted)
    {
        var result = await ConnectAsync(new OriginValidator(AcceptingApplication(out var built), patterns, requireOrigin: true), origin: null);

        Assert.Equal(accepted, result.Accepted);
        Assert.Equal(accepted, built());
    }

    [Fact]
    public async Task ConnectAsync_EmptyAllowedList_RefusesEveryBrowser()
    {
        var result = await ConnectAsync(new OriginValidator(AcceptingApplication(out var built), []), "http://allowed-domain.com");

        Assert.False(result.Accepted);
        Assert.Equal(WebSocketCloseCode.PolicyViolation, result.CloseCode);
        Assert.False(built());
    }

    [Fact]
    public async Task ConnectAsync_TwoOriginHeaders_Refused()
    {
        await using var client = new WebSocketCommunicator(
            new OriginValidator(AcceptingApplication(out _), ["a.example"]),
            "/ws/",
            headers: [new("origin", "http://a.example"), new("origin", "http://b.example")]);

        Assert.False((await client.ConnectAsync()).Accepted);
    }

    [Theory]
    [InlineData("*.allowed-domain.com")]
    [InlineData("http://*.allowed-domain.com")]
    [InlineData("http://allowed-domain.com:99999")]
    [InlineData("http://")]
    [InlineData(" ")]
    public void Constructor_MalformedPattern_ThrowsNamingTheFix(string pattern)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new OriginValidator(AcceptingApplication(out _), [pattern]));

        Assert.Contains(pattern.Contains('*') ? ".example.com" : "", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_HttpScope_FailsSayingItGuardsWebSocketsOnly()
    {
        await using var client = new HttpCommunicator(new OriginValidator(AcceptingApplication(out _), ["*"]), "GET", "/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync());

        Assert.Contains("\"websocket\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsAllowed_AnswersWithoutAConnection()
    {
        var validator = new OriginValidator(AcceptingApplication(out _), [".example.com", "https://app.example.org"]);

        Assert.True(validator.IsAllowed("https://www.example.com"));
        Assert.True(validator.IsAllowed("https://app.example.org:443"));
        Assert.False(validator.IsAllowed("http://app.example.org"));
        Assert.True(validator.IsAllowed(null));
        Assert.Equal([".example.com", "https://app.example.org"], validator.AllowedOrigins);
    }

    private static async Task<WebSocketConnectResult> ConnectAsync(IApplication application, string? origin)
    {
        await using var client = new WebSocketCommunicator(application, "/ws/", headers: origin is null ? [] : [new("origin", origin)]);
        var result = await client.ConnectAsync();
        if (result.Accepted)
        {
            await client.DisconnectAsync();
        }

        return result;
    }

    /// <summary>An application that accepts and then waits for the disconnect; <paramref name="built"/> tells whether it ran.</summary>
    private static IApplication AcceptingApplication(out Func<bool> built)
    {
        var ran = false;
        built = () => ran;
        return IApplication.Create(async (scope, receive, send) =>
        {
            ran = true;
            while (await receive(CancellationToken.None) is not WebSocketDisconnectEvent)
            {
                await send(new WebSocketAcceptEvent(), CancellationToken.None);
            }
        });
    }
}
