using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class ProtocolTypeRouterTests
{
    [Fact]
    public async Task InvokeAsync_MappedType_RunsItsApplicationWithTheSameScope()
    {
        var websocket = new RoutingTestApplication();
        var channel = new RoutingTestApplication();
        var router = new ProtocolTypeRouter
        {
            [ScopeTypes.WebSocket] = websocket.Application,
            [ScopeTypes.Channel] = channel.Application,
        };
        var scope = RoutingTestApplication.WebSocketScope("/ws/echo/");

        await RoutingTestApplication.RunAsync(router, scope);

        Assert.Same(scope, websocket.Scope);
        Assert.Empty(channel.Scopes);
    }

    [Fact]
    public async Task Add_CollectionInitializer_MapsCustomProtocol()
    {
        var mqtt = new RoutingTestApplication();
        var router = new ProtocolTypeRouter { { "mqtt", mqtt.Application } };

        await RoutingTestApplication.RunAsync(router, new ConnectionScope("mqtt"));

        Assert.Equal("mqtt", mqtt.Scope.Type);
    }

    [Fact]
    public async Task Map_Chains_AndRoutesEachType()
    {
        var http = new RoutingTestApplication();
        var websocket = new RoutingTestApplication();
        var router = new ProtocolTypeRouter();

        var returned = router.Map(ScopeTypes.Http, http.Application).Map(ScopeTypes.WebSocket, websocket.Application);
        await RoutingTestApplication.RunAsync(router, new ConnectionScope(ScopeTypes.Http));

        Assert.Same(router, returned);
        Assert.Single(http.Scopes);
        Assert.Empty(websocket.Scopes);
    }

    [Fact]
    public async Task InvokeAsync_UnmappedType_ThrowsRouteNotFoundNamingTypeAndPath()
    {
        var router = new ProtocolTypeRouter { [ScopeTypes.WebSocket] = new RoutingTestApplication().Application };

        var exception = await Assert.ThrowsAsync<RouteNotFoundException>(
            () => RoutingTestApplication.RunAsync(router, new ConnectionScope(ScopeTypes.Http) { Path = "/index/" }));

        Assert.Equal(
            "No application configured for scope type 'http' (path '/index/'). Mapped types: 'websocket'. "
            + "Map one with ProtocolTypeRouter.Map(\"http\", application).",
            exception.Message);
        Assert.Equal(ScopeTypes.Http, exception.ScopeType);
        Assert.Equal("/index/", exception.Path);
    }

    [Fact]
    public void CanHandle_MappedType_AsksItsApplication()
    {
        var router = new ProtocolTypeRouter
        {
            [ScopeTypes.WebSocket] = new UrlRouter { { "ws/echo/", new RoutingTestApplication().Application } },
            [ScopeTypes.Http] = new RoutingTestApplication().Application,
        };

        Assert.True(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/echo/")));
        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/other/")));
        Assert.True(router.CanHandle(new ConnectionScope(ScopeTypes.Http) { Path = "/anything" }));
        Assert.False(router.CanHandle(RoutingTestApplication.ChannelScope("thumbnails")));
    }

    [Fact]
    public void Add_TypeAlreadyMapped_Throws_IndexerReplaces()
    {
        var first = new RoutingTestApplication().Application;
        var second = new RoutingTestApplication().Application;
        var router = new ProtocolTypeRouter { [ScopeTypes.WebSocket] = first };

        var exception = Assert.Throws<ArgumentException>("type", () => router.Add(ScopeTypes.WebSocket, second));
        Assert.Contains("already mapped to scope type 'websocket'", exception.Message, StringComparison.Ordinal);
        Assert.Same(first, router[ScopeTypes.WebSocket]);

        router[ScopeTypes.WebSocket] = second;
        Assert.Same(second, router[ScopeTypes.WebSocket]);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var router = new ProtocolTypeRouter();
        var application = new RoutingTestApplication().Application;

        Assert.Throws<ArgumentException>("type", () => router.Add("", application));
        Assert.Throws<ArgumentNullException>("type", () => router.Map(null!, application));
        Assert.Throws<ArgumentNullException>("application", () => router.Add(ScopeTypes.Http, null!));
        Assert.Throws<ArgumentNullException>("value", () => router[ScopeTypes.Http] = null!);
        Assert.Throws<KeyNotFoundException>(() => router[ScopeTypes.Http]);
        Assert.Throws<ArgumentNullException>("scope", () => router.CanHandle(null!));
    }

    [Fact]
    public void GetEnumerator_ListsMappingsInOrder()
    {
        var http = new RoutingTestApplication().Application;
        var websocket = new RoutingTestApplication().Application;
        var router = new ProtocolTypeRouter { [ScopeTypes.Http] = http, [ScopeTypes.WebSocket] = websocket };

        KeyValuePair<string, IApplication>[] expected = [new(ScopeTypes.Http, http), new(ScopeTypes.WebSocket, websocket)];
        Assert.Equal(expected, router);
    }
}
