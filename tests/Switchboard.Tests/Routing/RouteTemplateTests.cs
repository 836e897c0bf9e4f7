using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

/// <summary>The template syntax, through a one-route <see cref="UrlRouter"/>.</summary>
public sealed class RouteTemplateTests
{
    [Theory]
    [InlineData("{id:int}", "42", true)]
    [InlineData("{id:int}", "-7", true)]
    [InlineData("{id:int}", "4.2", false)]
    [InlineData("{id:int}", "abc", false)]
    [InlineData("{id:int}", "2147483648", false)]
    [InlineData("{id:long}", "2147483648", true)]
    [InlineData("{id:long}", "99999999999999999999", false)]
    [InlineData("{id:long}", "x1", false)]
    [InlineData("{flag:bool}", "true", true)]
    [InlineData("{flag:bool}", "False", true)]
    [InlineData("{flag:bool}", "yes", false)]
    [InlineData("{id:guid}", "d3b07384-d9a0-4c9b-8f3c-2d7a1c5e9f10", true)]
    [InlineData("{id:guid}", "d3b07384d9a04c9b8f3c2d7a1c5e9f10", true)]
    [InlineData("{id:guid}", "d3b07384-d9a0", false)]
    [InlineData("{name:alpha}", "abcXYZ", true)]
    [InlineData("{name:alpha}", "abc1", false)]
    [InlineData("{name:alpha}", "café", false)]
    [InlineData("{x:double}", "3.14", true)]
    [InlineData("{x:double}", "-1e5", true)]
    [InlineData("{x:double}", "pi", false)]
    [InlineData("{x:float}", "1.5", true)]
    [InlineData("{x:float}", "1.5.1", false)]
    [InlineData("{x:decimal}", "3.14", true)]
    [InlineData("{x:decimal}", "1e5", false)]
    [InlineData("{d:datetime}", "2024-01-31", true)]
    [InlineData("{d:datetime}", "2024-13-31", false)]
    [InlineData("{n:min(10)}", "10", true)]
    [InlineData("{n:min(10)}", "9", false)]
    [InlineData("{n:min(10)}", "ten", false)]
    [InlineData("{n:max(10)}", "10", true)]
    [InlineData("{n:max(10)}", "11", false)]
    [InlineData("{n:range(1,5)}", "1", true)]
    [InlineData("{n:range(1,5)}", "5", true)]
    [InlineData("{n:range(1,5)}", "0", false)]
    [InlineData("{n:range(1,5)}", "6", false)]
    [InlineData("{n:range(-5, 5)}", "-5", true)]
    [InlineData("{s:length(3)}", "abc", true)]
    [InlineData("{s:length(3)}", "ab", false)]
    [InlineData("{s:length(2,4)}", "ab", true)]
    [InlineData("{s:length(2,4)}", "abcd", true)]
    [InlineData("{s:length(2,4)}", "a", false)]
    [InlineData("{s:length(2,4)}", "abcde", false)]
    [InlineData("{s:minlength(2)}", "ab", true)]
    [InlineData("{s:minlength(2)}", "a", false)]
    [InlineData("{s:maxlength(2)}", "ab", true)]
    [InlineData("{s:maxlength(2)}", "abc", false)]
    [InlineData("{s:required}", "x", true)]
    [InlineData(@"{s:regex(^[a-z]+-\d+$)}", "abc-12", true)]
    [InlineData(@"{s:regex(^[a-z]+-\d+$)}", "ABC-12", true)]
    [InlineData(@"{s:regex(^[a-z]+-\d+$)}", "abc", false)]
    [InlineData(@"{s:regex(\d)}", "a1b", true)]
    [InlineData(@"{code:regex(^\d{{3}}$)}", "123", true)]
    [InlineData(@"{code:regex(^\d{{3}}$)}", "1234", false)]
    [InlineData("{t:regex(^(a|b)-c$)}", "b-c", true)]
    [InlineData("{t:regex(^(a|b)-c$)}", "c-c", false)]
    [InlineData("{t:regex(^a:(b|c)$)}", "a:c", true)]
    [InlineData("{t:regex(^a:(b|c)$)}", "a:d", false)]
    [InlineData("{id:Int}", "1", true)]
    [InlineData("{id:INT}", "x", false)]
    [InlineData("{id:int:min(1)}", "1", true)]
    [InlineData("{id:int:min(1)}", "0", false)]
    [InlineData("{id:int:range(1,9):length(1)}", "7", true)]
    public async Task Constraint_Value_MatchesOnlyWhenSatisfied(string parameter, string value, bool matches)
    {
        var values = await RouteAsync($"items/{parameter}/", $"/items/{value}/");

        if (matches)
        {
            Assert.NotNull(values);
            Assert.Equal(value, Assert.Single(values).Value);
        }
        else
        {
            Assert.Null(values);
        }
    }

    [Theory]
    [InlineData("/ws/echo/", true)]
    [InlineData("/ws/echo", false)]
    [InlineData("/ws/echo/more/", false)]
    [InlineData("/WS/echo/", false)]
    [InlineData("/xws/echo/", false)]
    public async Task Literal_Path_MatchesExactlyAsWritten(string path, bool matches)
    {
        Assert.Equal(matches, await RouteAsync("ws/echo/", path) is not null);
    }

    [Theory]
    [InlineData("/ws/echo/")]
    [InlineData("~/ws/echo/")]
    public async Task LeadingSlash_InTemplate_IsIgnored(string template)
    {
        Assert.NotNull(await RouteAsync(template, "/ws/echo/"));
    }

    [Fact]
    public async Task EmptyTemplate_MatchesOnlyTheRoot()
    {
        Assert.NotNull(await RouteAsync("", "/"));
        Assert.Null(await RouteAsync("", "/x"));
    }

    [Fact]
    public async Task Literal_WithRegexCharacters_IsMatchedLiterally()
    {
        Assert.NotNull(await RouteAsync("v1.0/(items)+/", "/v1.0/(items)+/"));
        Assert.Null(await RouteAsync("v1.0/(items)+/", "/v1x0/itemsitems/"));
    }

    [Fact]
    public async Task EscapedBraces_MatchLiteralBraces()
    {
        Assert.NotNull(await RouteAsync("ws/{{raw}}/", "/ws/{raw}/"));
    }

    [Fact]
    public async Task Parameter_NameThatIsNoRegexGroupName_IsCaptured()
    {
        var values = await RouteAsync("users/{user-id}/", "/users/7/");

        Assert.Equal("7", values!["user-id"]);
    }

    [Fact]
    public async Task Parameter_DoesNotSpanSegments()
    {
        Assert.Null(await RouteAsync("ws/chat/{room}/", "/ws/chat/a/b/"));
    }

    [Fact]
    public async Task OptionalParameter_Absent_IsLeftOutWithItsSlash()
    {
        var absent = await RouteAsync("ws/{room?}", "/ws");
        var present = await RouteAsync("ws/{room?}", "/ws/lobby");

        Assert.Empty(absent!);
        Assert.Equal("lobby", present!["room"]);
        Assert.Null(await RouteAsync("ws/{room?}", "/ws/"));
    }

    [Fact]
    public async Task OptionalParameter_BeforeTrailingSlash_KeepsTheSlash()
    {
        Assert.Empty((await RouteAsync("ws/chat/{room?}/", "/ws/chat/"))!);
        Assert.Equal("lobby", (await RouteAsync("ws/chat/{room?}/", "/ws/chat/lobby/"))!["room"]);
        Assert.Null(await RouteAsync("ws/chat/{room?}/", "/ws/chat"));
    }

    [Fact]
    public async Task OptionalParameter_WithConstraint_IsCheckedOnlyWhenPresent()
    {
        Assert.NotNull(await RouteAsync("items/{id:int?}", "/items"));
        Assert.NotNull(await RouteAsync("items/{id:int?}", "/items/3"));
        Assert.Null(await RouteAsync("items/{id:int?}", "/items/x"));
    }

    [Fact]
    public async Task DefaultValue_Absent_IsUsedAsGiven()
    {
        var absent = await RouteAsync("ws/chat/{room=lobby}/", "/ws/chat/");
        var present = await RouteAsync("ws/chat/{room=lobby}/", "/ws/chat/kitchen/");

        Assert.Equal("lobby", absent!["room"]);
        Assert.Equal("kitchen", present!["room"]);
    }

    [Theory]
    [InlineData("/", "home", "index", null)]
    [InlineData("/shop", "shop", "index", null)]
    [InlineData("/shop/cart", "shop", "cart", null)]
    [InlineData("/shop/cart/5", "shop", "cart", "5")]
    public async Task SeveralTrailingDefaults_EachMayBeLeftOut(string path, string controller, string action, string? id)
    {
        var values = await RouteAsync("{controller=home}/{action=index}/{id?}", path);

        Assert.Equal(controller, values!["controller"]);
        Assert.Equal(action, values["action"]);
        Assert.Equal(id, values.TryGetValue("id", out var value) ? value : null);
    }

    [Fact]
    public async Task DefaultValue_FollowedByRequiredSegment_IsAlwaysCaptured()
    {
        Assert.Equal("a", (await RouteAsync("{kind=all}/items/", "/a/items/"))!["kind"]);
        Assert.Null(await RouteAsync("{kind=all}/items/", "/items/"));
    }

    [Theory]
    [InlineData("files/{*path}")]
    [InlineData("files/{**path}")]
    public async Task CatchAll_TakesTheRestWithSlashes(string template)
    {
        Assert.Equal("a/b/c.txt", (await RouteAsync(template, "/files/a/b/c.txt"))!["path"]);
        Assert.Equal("a/", (await RouteAsync(template, "/files/a/"))!["path"]);
        Assert.Empty((await RouteAsync(template, "/files"))!);
        Assert.Empty((await RouteAsync(template, "/files/"))!);
        Assert.Null(await RouteAsync(template, "/filesystem/a"));
    }

    [Fact]
    public async Task CatchAll_WithDefault_UsesTheDefaultWhenEmpty()
    {
        Assert.Equal("index.html", (await RouteAsync("site/{*path=index.html}", "/site/"))!["path"]);
        Assert.Equal("a.css", (await RouteAsync("site/{*path=index.html}", "/site/a.css"))!["path"]);
    }

    [Fact]
    public async Task CatchAll_WithConstraint_ChecksTheWholeRest()
    {
        Assert.NotNull(await RouteAsync("files/{*path:maxlength(5)}", "/files/a/b/c"));
        Assert.Null(await RouteAsync("files/{*path:maxlength(5)}", "/files/a/b/cd"));
    }

    [Theory]
    [InlineData("/files/report.pdf", "report", "pdf")]
    [InlineData("/files/a.b.c", "a.b", "c")]
    public async Task SeveralParametersInOneSegment_SplitLikeAspNetCore(string path, string name, string ext)
    {
        var values = await RouteAsync("files/{name}.{ext}", path);

        Assert.Equal(name, values!["name"]);
        Assert.Equal(ext, values["ext"]);
    }

    [Fact]
    public async Task SeveralParametersInOneSegment_WithConstraints()
    {
        var values = await RouteAsync("tiles/{x:int}-{y:int}/", "/tiles/3-4/");

        Assert.Equal("3", values!["x"]);
        Assert.Equal("4", values["y"]);
        Assert.Null(await RouteAsync("tiles/{x:int}-{y:int}/", "/tiles/3-a/"));
    }

    [Theory]
    [InlineData("/files/notes.txt", "notes", "txt")]
    [InlineData("/files/notes", "notes", null)]
    [InlineData("/files/a.b.txt", "a.b", "txt")]
    public async Task OptionalExtension_AfterPeriod_MayBeLeftOut(string path, string name, string? ext)
    {
        var values = await RouteAsync("files/{name}.{ext?}", path);

        Assert.Equal(name, values!["name"]);
        Assert.Equal(ext, values.TryGetValue("ext", out var value) ? value : null);
    }

    [Theory]
    [InlineData("ws/{room", "has no closing '}'")]
    [InlineData("ws/room}/", "unmatched '}'")]
    [InlineData("ws/{a{b}/", "unescaped '{'")]
    [InlineData("ws//echo/", "empty segment")]
    [InlineData("//ws/", "empty segment")]
    [InlineData("ws/?x", "cannot contain '?'")]
    [InlineData("ws/{}/", "parameter name '' ")]
    [InlineData("ws/{a/b}/", "parameter name 'a/b'")]
    [InlineData("ws/{***x}/", "parameter name '*x'")]
    [InlineData("ws/{id:foo}/", "'foo' is invalid: it is not a known constraint")]
    [InlineData("ws/{id:}/", "empty constraint")]
    [InlineData("ws/{id:int(3)}/", "'int(3)' is invalid: it takes no argument")]
    [InlineData("ws/{id:min}/", "it takes 1 argument in parentheses")]
    [InlineData("ws/{id:min(x)}/", "'x' is not an integer")]
    [InlineData("ws/{id:range(1)}/", "it takes 2 arguments")]
    [InlineData("ws/{id:range(5,1)}/", "its minimum 5 is greater than its maximum 1")]
    [InlineData("ws/{id:length(4,2)}/", "its minimum 4 is greater than its maximum 2")]
    [InlineData("ws/{id:length(1,2,3)}/", "it takes 1 to 2 arguments")]
    [InlineData("ws/{id:minlength(-1)}/", "'-1' is not a non-negative integer")]
    [InlineData("ws/{id:regex(abc}/", "has no closing ')'")]
    [InlineData("ws/{id:regex(()}/", "its pattern is invalid")]
    [InlineData("ws/{id:regex}/", "it needs a pattern")]
    [InlineData("ws/{id?x}/", "unexpected '?'")]
    [InlineData("ws/{id=5?}", "both optional and has a default value")]
    [InlineData("ws/{id=}", "empty default value")]
    [InlineData("ws/{id:int=abc}", "default value 'abc' of parameter 'id' does not satisfy its constraints")]
    [InlineData("ws/{id}/{ID}/", "'ID' appears more than once")]
    [InlineData("ws/{a}{b}/", "'a' and 'b' follow each other")]
    [InlineData("ws/{*rest}/more", "catch-all parameter 'rest' must be the whole last segment")]
    [InlineData("ws/{*rest}/", "catch-all parameter 'rest' must be the whole last segment")]
    [InlineData("ws/x{*rest}", "catch-all parameter 'rest' must be the whole last segment")]
    [InlineData("ws/{*rest?}", "cannot be marked optional")]
    [InlineData("ws/{a?}/b/", "optional parameter 'a' is followed by a required segment")]
    [InlineData("ws/{a}-{b?}", "it must then come last, right after '.'")]
    [InlineData("ws/{a?}.{b}", "it must then come last, right after '.'")]
    public void MalformedTemplate_Throws_NamingTemplateAndProblem(string template, string problem)
    {
        var exception = Assert.Throws<ArgumentException>("template", () => new UrlRouter { { template, new RoutingTestApplication().Application } });

        Assert.Contains($"The route template '{template}' is invalid: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Routes one path through a router with one template route; returns the route values, or null without a match.</summary>
    private static async Task<IReadOnlyDictionary<string, object?>?> RouteAsync(string template, string path)
    {
        var application = new RoutingTestApplication();
        var router = new UrlRouter { { template, application.Application } };
        var scope = RoutingTestApplication.WebSocketScope(path);

        var canHandle = router.CanHandle(scope);
        if (!canHandle)
        {
            await Assert.ThrowsAsync<RouteNotFoundException>(() => RoutingTestApplication.RunAsync(router, scope));
            Assert.Empty(application.Scopes);
            return null;
        }

        await RoutingTestApplication.RunAsync(router, scope);
        return application.Scope.RouteValues;
    }
}
