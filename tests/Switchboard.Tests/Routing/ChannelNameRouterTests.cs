using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class ChannelNameRouterTests
{
    [Fact]
    public async Task InvokeAsync_MappedChannel_RunsItsApplicationWithTheSameScope()
    {
        var thumbnails = new RoutingTestApplication();
        var email = new RoutingTestApplication();
        var router = new ChannelNameRouter { ["thumbnails"] = thumbnails.Application, ["email"] = email.Application };
        var scope = RoutingTestApplication.ChannelScope("thumbnails");

        await RoutingTestApplication.RunAsync(router, scope);

        Assert.Same(scope, thumbnails.Scope);
        Assert.Empty(email.Scopes);
    }

    [Fact]
    public async Task UnderProtocolTypeRouter_WorkerScope_ReachesItsChannelsApplication()
    {
        var thumbnails = new RoutingTestApplication();
        var application = new ProtocolTypeRouter
        {
            [ScopeTypes.WebSocket] = new RoutingTestApplication().Application,
            [ScopeTypes.Channel] = new ChannelNameRouter().Map("thumbnails", thumbnails.Application),
        };
        var scope = RoutingTestApplication.ChannelScope("thumbnails");

        Assert.True(application.CanHandle(scope));
        await RoutingTestApplication.RunAsync(application, scope);

        Assert.Equal("thumbnails", thumbnails.Scope.Channel);
    }

    [Fact]
    public async Task InvokeAsync_UnmappedChannel_ThrowsRouteNotFound()
    {
        var router = new ChannelNameRouter { { "thumbnails", new RoutingTestApplication().Application } };

        var exception = await Assert.ThrowsAsync<RouteNotFoundException>(
            () => RoutingTestApplication.RunAsync(router, RoutingTestApplication.ChannelScope("email")));

        Assert.Equal(
            "No application configured for channel name 'email' (scope type 'channel', path '/'). Mapped channels: 'thumbnails'.",
            exception.Message);
        Assert.Equal(ScopeTypes.Channel, exception.ScopeType);
    }

    [Fact]
    public async Task InvokeAsync_NotAChannelScope_ThrowsArgumentException()
    {
        var router = new ChannelNameRouter { ["thumbnails"] = new RoutingTestApplication().Application };

        var wrongType = await Assert.ThrowsAsync<ArgumentException>(
            "scope", () => RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/")));
        var noChannel = await Assert.ThrowsAsync<ArgumentException>(
            "scope", () => RoutingTestApplication.RunAsync(router, new ConnectionScope(ScopeTypes.Channel)));

        Assert.Contains("got a 'websocket' scope", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("with channel null", noChannel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CanHandle_OnlyMappedChannelScopes()
    {
        var router = new ChannelNameRouter { ["thumbnails"] = new RoutingTestApplication().Application };

        Assert.True(router.CanHandle(RoutingTestApplication.ChannelScope("thumbnails")));
        Assert.False(router.CanHandle(RoutingTestApplication.ChannelScope("email")));
        Assert.False(router.CanHandle(new ConnectionScope(ScopeTypes.Channel)));
        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/thumbnails")));
    }

    [Fact]
    public void CanHandle_MappedChannelWhoseApplicationRefuses_IsFalse()
    {
        var httpOnly = new ProtocolTypeRouter { [ScopeTypes.Http] = new RoutingTestApplication().Application };
        var router = new ChannelNameRouter { ["thumbnails"] = httpOnly };

        Assert.False(router.CanHandle(RoutingTestApplication.ChannelScope("thumbnails")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("!leading-bang")]
    [InlineData("two!bangs!")]
    public void Add_InvalidChannelName_Throws(string channel)
    {
        var router = new ChannelNameRouter();
        var application = new RoutingTestApplication().Application;

        var exception = Assert.Throws<ArgumentException>("channel", () => router.Add(channel, application));
        Assert.Throws<ArgumentException>("channel", () => router[channel] = application);
        Assert.StartsWith("Invalid channel name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_ChannelAlreadyMapped_Throws_IndexerReplaces()
    {
        var first = new RoutingTestApplication().Application;
        var second = new RoutingTestApplication().Application;
        var router = new ChannelNameRouter { ["thumbnails"] = first };

        Assert.Throws<ArgumentException>("channel", () => router.Map("thumbnails", second));
        router["thumbnails"] = second;

        Assert.Same(second, router["thumbnails"]);
        Assert.Equal("thumbnails", Assert.Single(router).Key);
    }
}
