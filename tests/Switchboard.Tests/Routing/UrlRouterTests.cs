using System.Text.RegularExpressions;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class UrlRouterTests
{
    [Fact]
    public async Task InvokeAsync_TemplateMatches_RunsApplicationWithRouteValues()
    {
        var chat = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/chat/{room}/", chat.Application } };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/chat/lobby/"));

        var scope = chat.Scope;
        Assert.Equal("lobby", scope.GetRouteValue("room"));
        Assert.Equal("lobby", Assert.Single(scope.RouteValues).Value);
        Assert.Equal("", scope.PathRemaining);
        Assert.Equal("/ws/chat/lobby/", scope.Path);
    }

    [Fact]
    public async Task InvokeAsync_SeveralRoutesMatch_FirstWins()
    {
        var first = new RoutingTestApplication();
        var second = new RoutingTestApplication();
        var router = new UrlRouter
        {
            { "ws/chat/{room}/", first.Application },
            { "ws/chat/lobby/", second.Application },
        };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/chat/lobby/"));

        Assert.Single(first.Scopes);
        Assert.Empty(second.Scopes);
    }

    [Fact]
    public async Task InvokeAsync_EarlierRouteDoesNotMatch_LaterRouteRuns()
    {
        var chat = new RoutingTestApplication();
        var echo = new RoutingTestApplication();
        var router = new UrlRouter()
            .Map("ws/chat/{room}/", chat.Application)
            .Map("ws/echo/", echo.Application);

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/echo/"));

        Assert.Empty(chat.Scopes);
        Assert.Same(echo.Scope.RouteValues, new ConnectionScope(ScopeTypes.WebSocket).RouteValues);
    }

    [Fact]
    public async Task InvokeAsync_SeveralLeadingSlashes_AreAllStripped()
    {
        var echo = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/echo/", echo.Application } };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("//ws/echo/"));

        Assert.Single(echo.Scopes);
    }

    [Fact]
    public async Task InvokeAsync_PercentDecodedPath_CapturesDecodedValue()
    {
        var chat = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/chat/{room}/", chat.Application } };
        var scope = new ConnectionScope(ScopeTypes.WebSocket) { Path = "/ws/chat/café au lait/", RawPath = "/ws/chat/caf%C3%A9%20au%20lait/" };

        await RoutingTestApplication.RunAsync(router, scope);

        Assert.Equal("café au lait", chat.Scope.GetRouteValue("room"));
    }

    [Fact]
    public async Task MapRegex_NamedGroups_BecomeRouteValues_UnnamedGroupsAreIgnored()
    {
        var chat = new RoutingTestApplication();
        var router = new UrlRouter().MapRegex(@"^ws/(chat|talk)/(?<room>\w+)/(?<page>\d+)?/?$", chat.Application);

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/talk/lobby/"));

        var values = chat.Scope.RouteValues;
        Assert.Equal("lobby", Assert.Single(values).Value);
        Assert.Equal("room", Assert.Single(values).Key);
    }

    [Fact]
    public async Task MapRegex_EmptyNamedGroup_IsKeptAsEmptyString()
    {
        var app = new RoutingTestApplication();
        var router = new UrlRouter().MapRegex(@"^items/(?<filter>[a-z]*)/$", app.Application);

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/items//"));

        Assert.Equal("", app.Scope.GetRouteValue("filter"));
    }

    [Fact]
    public async Task AddRegex_CollectionInitializer_UsesTheRegexInstance()
    {
        var chat = new RoutingTestApplication();
        var router = new UrlRouter
        {
            { new Regex(@"^ws/chat/(?<room>\w+)/$", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)), chat.Application },
        };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/WS/Chat/lobby/"));

        Assert.Equal("lobby", chat.Scope.GetRouteValue("room"));
    }

    [Theory]
    [InlineData("/ws/chat/lobby/", true)]
    [InlineData("/api/ws/chat/lobby/", true)]
    [InlineData("/ws/chat/lobby/x", false)]
    public void RegexRoute_WithoutCaret_IsSearchedAsChannelsDoes(string path, bool matches)
    {
        var router = new UrlRouter().MapRegex(@"ws/chat/(?<room>\w+)/$", new RoutingTestApplication().Application);

        Assert.Equal(matches, router.CanHandle(RoutingTestApplication.WebSocketScope(path)));
    }

    [Fact]
    public async Task RegexRoute_WithoutDollar_LeavesTheRestInPathRemaining()
    {
        var files = new RoutingTestApplication();
        var router = new UrlRouter().MapRegex("^files/", files.Application);

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/files/a/b.txt"));

        Assert.Equal("a/b.txt", files.Scope.PathRemaining);
    }

    [Fact]
    public void RegexRoute_EndingWithDollar_DoesNotMatchBeforeATrailingNewline()
    {
        var router = new UrlRouter().MapRegex("^ws/echo/$", new RoutingTestApplication().Application);

        Assert.True(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/echo/")));
        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/echo/\n")));
    }

    [Fact]
    public void MapRegex_InvalidPattern_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => new UrlRouter().MapRegex("^ws/(", new RoutingTestApplication().Application));
    }

    [Fact]
    public async Task InvokeAsync_DefaultsAndOuterValues_AreMerged()
    {
        var chat = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/chat/{room}/{mode=read}/", chat.Application } };
        var scope = RoutingTestApplication.WebSocketScope("/ws/chat/lobby/") with
        {
            RouteValues = new Dictionary<string, object?> { ["tenant"] = 42, ["room"] = "outer" },
        };

        await RoutingTestApplication.RunAsync(router, scope);

        var values = chat.Scope.RouteValues;
        Assert.Equal(3, values.Count);
        Assert.Equal(42, values["tenant"]);
        Assert.Equal("lobby", values["room"]);
        Assert.Equal("read", values["mode"]);
        Assert.Equal(2, scope.RouteValues.Count);
    }

    [Fact]
    public async Task InvokeAsync_NothingCaptured_KeepsTheOuterValuesInstance()
    {
        var echo = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/echo/", echo.Application } };
        var outer = new Dictionary<string, object?> { ["tenant"] = "a" };
        var scope = RoutingTestApplication.WebSocketScope("/ws/echo/") with { RouteValues = outer };

        await RoutingTestApplication.RunAsync(router, scope);

        Assert.Same(outer, echo.Scope.RouteValues);
    }

    [Fact]
    public async Task InvokeAsync_OriginalScope_IsNotMutated()
    {
        var chat = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/", new UrlRouter { { "chat/{room}/", chat.Application } } } };
        var original = RoutingTestApplication.WebSocketScope("/ws/chat/lobby/");
        var before = original with { };

        await RoutingTestApplication.RunAsync(router, original);

        Assert.Equal(before, original);
        Assert.Null(original.PathRemaining);
        Assert.Empty(original.RouteValues);
        Assert.NotSame(original, chat.Scope);
        Assert.Same(original.Items, chat.Scope.Items);
    }

    [Fact]
    public async Task InvokeAsync_ScopeWithPathRemaining_MatchesTheRemainder()
    {
        var echo = new RoutingTestApplication();
        var router = new UrlRouter { { "echo/", echo.Application } };
        var scope = RoutingTestApplication.WebSocketScope("/mounted/echo/") with { PathRemaining = "echo/" };

        await RoutingTestApplication.RunAsync(router, scope);

        Assert.Equal("/mounted/echo/", echo.Scope.Path);
    }

    [Fact]
    public async Task NestedRouters_TwoLevels_StripPrefixesAndMergeValues()
    {
        var messages = new RoutingTestApplication();
        var router = new UrlRouter
        {
            {
                "api/{version:int}/", new UrlRouter
                {
                    { "rooms/{room}/", new UrlRouter { { "messages/{id:int}/", messages.Application } } },
                }
            },
        };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/api/2/rooms/lobby/messages/17/"));

        var scope = messages.Scope;
        Assert.Equal("2", scope.GetRouteValue("version"));
        Assert.Equal("lobby", scope.GetRouteValue("room"));
        Assert.Equal("17", scope.GetRouteValue("id"));
        Assert.Equal(3, scope.RouteValues.Count);
        Assert.Equal("", scope.PathRemaining);
        Assert.Equal("/api/2/rooms/lobby/messages/17/", scope.Path);
    }

    [Fact]
    public async Task NestedRouters_InnerRegexWithoutDollar_SeesEachLevelsRemainder()
    {
        var files = new RoutingTestApplication();
        var router = new UrlRouter().MapRegex("^ws/", new UrlRouter().MapRegex("^(?<bucket>[a-z]+)/", files.Application));

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/photos/2024/cat.png"));

        Assert.Equal("photos", files.Scope.GetRouteValue("bucket"));
        Assert.Equal("2024/cat.png", files.Scope.PathRemaining);
    }

    [Fact]
    public async Task NestedRouter_EmptyInnerTemplate_MatchesWhatThePrefixLeftEmpty()
    {
        var echo = new RoutingTestApplication();
        var router = new UrlRouter { { "ws/echo/", new UrlRouter { { "", echo.Application } } } };

        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/echo/more/")));
        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/echo/"));

        Assert.Equal("", echo.Scope.PathRemaining);
    }

    [Fact]
    public async Task NestedRouter_InnerCapturesSameName_InnerValueWins()
    {
        var app = new RoutingTestApplication();
        var router = new UrlRouter { { "{id}/", new UrlRouter { { "{id}/", app.Application } } } };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/outer/inner/"));

        Assert.Equal("inner", app.Scope.GetRouteValue("id"));
    }

    [Fact]
    public async Task NestedRouter_TemplateWithoutTrailingSlash_MatchesWholeSegmentsOnly()
    {
        var app = new RoutingTestApplication();
        var router = new UrlRouter { { "chat", new UrlRouter { { "{room}/", app.Application } } } };

        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/chatroom/")));
        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/chat/lobby/"));

        Assert.Equal("lobby", app.Scope.GetRouteValue("room"));
    }

    [Fact]
    public async Task NestedRouter_WithoutRouteForTheRest_OuterRouterTriesItsNextRoute()
    {
        var chat = new RoutingTestApplication();
        var echo = new RoutingTestApplication();
        var router = new UrlRouter
        {
            { "ws/", new UrlRouter { { "chat/{room}/", chat.Application } } },
            { "ws/echo/", echo.Application },
        };

        await RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/echo/"));

        Assert.Empty(chat.Scopes);
        Assert.Single(echo.Scopes);
    }

    [Fact]
    public void CanHandle_MatchingRoute_IsTrue_OtherwiseFalse()
    {
        var router = new UrlRouter { { "ws/chat/{room}/", new RoutingTestApplication().Application } };

        Assert.True(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/chat/lobby/")));
        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/chat/")));
        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/")));
    }

    [Fact]
    public void CanHandle_OuterPrefixMatchesButInnerRouterDoesNot_IsFalse()
    {
        var router = new UrlRouter { { "ws/", new UrlRouter { { "chat/{room}/", new RoutingTestApplication().Application } } } };

        Assert.True(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/chat/lobby/")));
        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/echo/")));
    }

    [Fact]
    public void CanHandle_RoutedApplicationRefusesTheScope_IsFalse()
    {
        // A leaf that serves only http: the path matches, but a websocket scope is not handled.
        var httpOnly = new ProtocolTypeRouter { [ScopeTypes.Http] = new RoutingTestApplication().Application };
        var router = new UrlRouter { { "ws/echo/", httpOnly } };

        Assert.False(router.CanHandle(RoutingTestApplication.WebSocketScope("/ws/echo/")));
        Assert.True(router.CanHandle(new ConnectionScope(ScopeTypes.Http) { Path = "/ws/echo/" }));
    }

    [Fact]
    public void CanHandle_LeafSeesTheRoutedScope()
    {
        // The leaf (a ProtocolTypeRouter, so not a nested router) routes by path again: it must see what the outer router left.
        var leaf = new ProtocolTypeRouter { [ScopeTypes.WebSocket] = new UrlRouter { { "{room}/", new RoutingTestApplication().Application } } };
        var outerThenProtocol = new UrlRouter().MapRegex("^ws/chat/", leaf);

        Assert.True(outerThenProtocol.CanHandle(RoutingTestApplication.WebSocketScope("/ws/chat/lobby/")));
        Assert.False(outerThenProtocol.CanHandle(RoutingTestApplication.WebSocketScope("/ws/chat/")));
    }

    [Fact]
    public async Task InvokeAsync_NoRouteMatches_ThrowsRouteNotFoundNamingPathAndRoutes()
    {
        var router = new UrlRouter
        {
            { "ws/chat/{room}/", new RoutingTestApplication().Application },
            { "ws/admin/", new UrlRouter { { "users/", new RoutingTestApplication().Application } } },
        }.MapRegex("^ws/echo/$", new RoutingTestApplication().Application);

        var exception = await Assert.ThrowsAsync<RouteNotFoundException>(
            () => RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/ws/nowhere/")));

        Assert.Equal(
            "No route found for path 'ws/nowhere/' (scope type 'websocket', path '/ws/nowhere/'). "
            + "Routes tried: 'ws/chat/{room}/', 'ws/admin/' (nested router), '^ws/echo/$'.",
            exception.Message);
        Assert.Equal(ScopeTypes.WebSocket, exception.ScopeType);
        Assert.Equal("/ws/nowhere/", exception.Path);
    }

    [Fact]
    public async Task InvokeAsync_ManyRoutes_ErrorListsTheFirstTen()
    {
        var router = new UrlRouter();
        for (var i = 0; i < 12; i++)
        {
            router.Map($"route{i}/", new RoutingTestApplication().Application);
        }

        var exception = await Assert.ThrowsAsync<RouteNotFoundException>(
            () => RoutingTestApplication.RunAsync(router, RoutingTestApplication.WebSocketScope("/x/")));

        Assert.Contains("'route9/' and 2 more.", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("route10/", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NoRoutes_SaysSo()
    {
        var exception = await Assert.ThrowsAsync<RouteNotFoundException>(
            () => RoutingTestApplication.RunAsync(new UrlRouter(), RoutingTestApplication.WebSocketScope("/x/")));

        Assert.EndsWith("The router has no routes.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_RouterIntoItself_Throws()
    {
        var router = new UrlRouter();

        Assert.Throws<ArgumentException>("application", () => router.Add("loop/", router));
    }

    [Fact]
    public void Add_RouterThatWouldCloseACycle_Throws()
    {
        var outer = new UrlRouter();
        var inner = new UrlRouter();
        outer.Add("a/", inner);

        Assert.Throws<ArgumentException>("application", () => inner.Add("b/", outer));
    }

    [Fact]
    public void Add_NullArguments_Throw()
    {
        var router = new UrlRouter();
        var application = new RoutingTestApplication().Application;

        Assert.Throws<ArgumentNullException>("template", () => router.Add((string)null!, application));
        Assert.Throws<ArgumentNullException>("regex", () => router.Add((Regex)null!, application));
        Assert.Throws<ArgumentNullException>("pattern", () => router.MapRegex(null!, application));
        Assert.Throws<ArgumentNullException>("application", () => router.Add("x/", null!));
        Assert.Throws<ArgumentNullException>("scope", () => router.CanHandle(null!));
    }

    [Fact]
    public void GetEnumerator_ListsRoutesInOrderAsWritten()
    {
        var echo = new RoutingTestApplication().Application;
        var chat = new RoutingTestApplication().Application;
        var router = new UrlRouter { { "ws/echo/", echo } }.MapRegex(@"^ws/chat/(?<room>\w+)/$", chat);

        KeyValuePair<string, IApplication>[] expected = [new("ws/echo/", echo), new(@"^ws/chat/(?<room>\w+)/$", chat)];
        Assert.Equal(expected, router);
    }
}
