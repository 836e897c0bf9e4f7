using System.Text.RegularExpressions;
using Switchboard.Routing;
using Switchboard.Testing;

namespace Switchboard.Tests.Routing;

/// <summary>The middleware example of docs/routing.md: the page shows <see cref="QueryNameMiddleware"/> as it is here, and
/// it does what the page says.</summary>
public partial class ApplicationMiddlewareDocsTests
{
    private static readonly IApplication s_application = new QueryNameMiddleware(new UrlRouter().Map<HelloConsumer>("ws/hello/"));

    [Fact]
    public void RoutingPage_MiddlewareExample_IsThisFile()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var page = File.ReadAllText(Path.Combine(root.FullName, "docs", "routing.md"));
        var block = ExampleBlock().Match(page);
        Assert.True(block.Success, "docs/routing.md has no block marked <!-- example: QueryNameMiddleware -->.");
        var file = File.ReadAllText(Path.Combine(root.FullName, "tests", "Switchboard.Tests", "Routing", "QueryNameMiddleware.cs"));

        // The page leaves out the test namespace line and the blank line after it.
        var expected = file.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("namespace Switchboard.Tests.Routing;\n\n", "", StringComparison.Ordinal);
        Assert.Equal(expected.TrimEnd('\n'), block.Groups["body"].Value.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvokeAsync_NameInTheQuery_TheConsumerSeesTheUser()
    {
        await using var client = new WebSocketCommunicator(s_application, "/ws/hello/?name=alice");
        Assert.True((await client.ConnectAsync()).Accepted);

        await client.SendTextAsync("hi");

        Assert.Equal("hello alice", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task InvokeAsync_NoName_RefusedBeforeTheConsumerRuns()
    {
        await using var client = new WebSocketCommunicator(s_application, "/ws/hello/");

        var result = await client.ConnectAsync();

        Assert.False(result.Accepted);
        Assert.Equal(WebSocketCloseCode.PolicyViolation, result.CloseCode);
    }

    [GeneratedRegex(@"<!-- example: QueryNameMiddleware -->\r?\n```csharp\r?\n(?<body>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    private sealed class HelloConsumer : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
            SendAsync($"hello {Scope.User.Identity?.Name}", cancellationToken);
    }
}
