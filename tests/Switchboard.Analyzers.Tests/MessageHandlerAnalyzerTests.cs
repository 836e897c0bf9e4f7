using Microsoft.CodeAnalysis;
using static Switchboard.Analyzers.Tests.AnalyzerHarness;

namespace Switchboard.Analyzers.Tests;

/// <summary>SB1001 and SB1002 on real compilations against Switchboard.dll.</summary>
public class MessageHandlerAnalyzerTests
{
    private const string ChatConsumer = """
        public sealed class ChatConsumer : WebSocketConsumer
        {
            protected override IEnumerable<string> Groups => ["chat_lobby"];

            protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
                GroupSendAsync("chat_lobby", new LayerMessage(MessageType) { ["message"] = text }, cancellationToken);

            public ValueTask ChatMessageAsync(LayerMessage message, CancellationToken cancellationToken) =>
                SendAsync(message, "message", cancellationToken);
        }
        """;

    [Fact]
    public async Task Send_TypeWithHandler_NoDiagnostic()
    {
        var diagnostics = await AnalyzeAsync(ChatConsumer.Replace("MessageType", "\"chat.message\"", StringComparison.Ordinal));

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Send_MisspeltType_WarnsWithTheMethodToAddAndTheNearMiss()
    {
        var diagnostics = await AnalyzeAsync(ChatConsumer.Replace("MessageType", "\"chat.mesage\"", StringComparison.Ordinal));

        Assert.Collection(
            diagnostics,
            unhandled =>
            {
                Assert.Equal("SB1001", unhandled.Id);
                Assert.Equal(DiagnosticSeverity.Warning, unhandled.Severity);
                Assert.Equal("\"chat.mesage\"", SourceOf(unhandled));
                Assert.Equal(
                    "No consumer in this project or the assemblies it references handles message type 'chat.mesage': add a method " +
                    "'Task ChatMesageAsync(LayerMessage message, CancellationToken cancellationToken)' to the consumer that should " +
                    "receive it, or mark one with [MessageHandler(\"chat.mesage\")] (ChatConsumer.ChatMessageAsync handles " +
                    "'chat.message': is one of the two misspelt?)",
                    unhandled.GetMessage());
            },
            unsent =>
            {
                Assert.Equal("SB1002", unsent.Id);
                Assert.Equal(DiagnosticSeverity.Info, unsent.Severity);
                Assert.Equal("ChatMessageAsync", SourceOf(unsent));
                Assert.Equal(
                    "ChatConsumer.ChatMessageAsync handles message type 'chat.message', which nothing in this project sends; check " +
                    "the type passed to new LayerMessage(...) and the handler's name, or ignore this when another process or assembly sends it",
                    unsent.GetMessage());
            });
    }

    [Fact]
    public async Task Send_TypeNoHandlerIsCloseTo_WarnsWithoutAHint()
    {
        var diagnostics = await AnalyzeAsync(ChatConsumer.Replace("MessageType", "\"user.joined\"", StringComparison.Ordinal));

        var unhandled = Assert.Single(diagnostics, d => d.Id == "SB1001");
        Assert.EndsWith("or mark one with [MessageHandler(\"user.joined\")]", unhandled.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("'Task UserJoinedAsync(LayerMessage message, CancellationToken cancellationToken)'", unhandled.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ByAttributeByNameWithoutAsyncPrivateOrTask_AllCountAsHandlers()
    {
        var diagnostics = await AnalyzeAsync("""
            public sealed class RoomConsumer : JsonWebSocketConsumer
            {
                protected override ValueTask OnJsonAsync(System.Text.Json.JsonElement content, CancellationToken cancellationToken) => default;

                [MessageHandler("room.joined")]
                public Task OnJoinedAsync(LayerMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

                public ValueTask userLeft(LayerMessage message) => default;

                private Task RoomClosed(LayerMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public static class Senders
            {
                public static async Task SendAllAsync(IChannelLayer layer)
                {
                    await layer.GroupSendAsync("room", new LayerMessage("room.joined"));
                    await layer.GroupSendAsync("room", new LayerMessage("user-left"));
                    await layer.GroupSendAsync("room", new LayerMessage("room_closed"));
                }
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Send_UnderscoreType_NeverMatchesAHandlerByName()
    {
        var diagnostics = await AnalyzeAsync("""
            public sealed class Worker : Consumer
            {
                public ValueTask SecretAsync(LayerMessage message) => default;

                public ValueTask LeakAsync(IChannelLayer layer) => layer.SendAsync("jobs", new LayerMessage("_secret"));
            }
            """);

        Assert.Equal(["SB1002", "SB1001"], diagnostics.Select(d => d.Id));
        Assert.Equal("\"_secret\"", SourceOf(diagnostics[1]));
    }

    [Fact]
    public async Task Send_ConditionalConstantTypes_EachBranchChecked()
    {
        var diagnostics = await AnalyzeAsync("""
            public sealed class Feed : Consumer
            {
                public ValueTask PostSaveAsync(LayerMessage message) => default;

                public ValueTask NotifyAsync(IChannelLayer layer, bool created) =>
                    layer.GroupSendAsync("feed", new LayerMessage(created ? "post.save" : "post.delete"));
            }
            """);

        var unhandled = Assert.Single(diagnostics);
        Assert.Equal("SB1001", unhandled.Id);
        Assert.Equal("\"post.delete\"", SourceOf(unhandled));
    }

    [Fact]
    public async Task Send_ProjectWithoutConsumers_NoDiagnostic()
    {
        // A library or a job that only sends: its consumers live where it cannot see them.
        var diagnostics = await AnalyzeAsync("""
            public static class Jobs
            {
                public static ValueTask DoneAsync(IChannelLayer layer) => layer.GroupSendAsync("jobs", new LayerMessage("job.done"));
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Send_ConsumersOfAReferencedAssembly_CountAsHandlersAndAsConsumers()
    {
        var workers = Library("Workers", """
            public sealed class ThumbnailConsumer : Consumer
            {
                public ValueTask GenerateAsync(LayerMessage message, CancellationToken cancellationToken) => default;
            }
            """);

        var diagnostics = await AnalyzeAsync(
            """
            public static class Endpoints
            {
                public static async Task PostAsync(IChannelLayer layer)
                {
                    await layer.SendAsync("thumbnails", new LayerMessage("generate"));
                    await layer.SendAsync("thumbnails", new LayerMessage("genrate"));
                }
            }
            """,
            workers);

        var unhandled = Assert.Single(diagnostics);
        Assert.Equal("SB1001", unhandled.Id);
        Assert.Equal("\"genrate\"", SourceOf(unhandled));
        Assert.Contains("(ThumbnailConsumer.GenerateAsync handles 'generate': is one of the two misspelt?)", unhandled.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ToAFunctionRouteChannelOrType_NoDiagnostic()
    {
        // Function consumers (the 1.x style) route by channel, or by type on a connection: not by handler name.
        var diagnostics = await AnalyzeAsync("""
            using Switchboard.Functions;

            public sealed class ChatConsumer : WebSocketConsumer
            {
                public ValueTask ChatMessageAsync(LayerMessage message, CancellationToken cancellationToken) => default;
            }

            public static class Chat1x
            {
                public static FunctionRouter Worker { get; } = new FunctionRouter().Route("chat-messages", BroadcastAsync);

                public static FunctionRouter Socket { get; } = new FunctionRouter().Route("chat.shout", (m, ct) => default);

                private static ValueTask BroadcastAsync(FunctionMessage message, CancellationToken cancellationToken) =>
                    message.GroupSendAsync("chat_lobby", new LayerMessage("chat.message"), cancellationToken);

                public static async Task SubmitAsync(FunctionMessage message)
                {
                    await message.SendAsync("chat-messages", new LayerMessage("chat.submit"));
                    await message.GroupSendAsync("chat_lobby", new LayerMessage("chat.shout"));
                }
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("protected override ValueTask DispatchAsync(ApplicationEvent message, CancellationToken cancellationToken) => default;", "")]
    [InlineData("", "public static ValueTask<LayerMessage> ReadAsync(IChannelLayer layer) => layer.ReceiveAsync(\"jobs\");")]
    public async Task Send_ConsumerDispatchesItselfOrLayerReadDirectly_NoSB1001(string consumerMember, string reader)
    {
        var diagnostics = await AnalyzeAsync($$"""
            public sealed class Worker : Consumer
            {
                {{consumerMember}}
            }

            public static class Jobs
            {
                public static ValueTask StartAsync(IChannelLayer layer) => layer.SendAsync("jobs", new LayerMessage("job.start"));

                {{reader}}
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Handler_TypeBuiltAtRunTime_NoSB1002()
    {
        var diagnostics = await AnalyzeAsync("""
            public sealed class Feed : Consumer
            {
                public ValueTask PostSaveAsync(LayerMessage message) => default;

                public ValueTask RelayAsync(IChannelLayer layer, string type) => layer.GroupSendAsync("feed", new LayerMessage(type));
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Method_TakesALayerMessageButIsNoHandler_WarnsAsTheStartupCheckWould()
    {
        // The runtime refuses these when the routes are built (Consumer.AsApplication); static and private helpers it leaves alone.
        var diagnostics = await AnalyzeAsync("""
            public sealed class Helpers : Consumer
            {
                public ValueTask GenericAsync<T>(LayerMessage message) => default;

                protected ValueTask ThreeAsync(LayerMessage message, CancellationToken cancellationToken, int extra) => default;

                public void Log(LayerMessage message) { }

                [MessageHandler("audit.entry")]
                private Task AuditAsync(LayerMessage message, string reason) => Task.CompletedTask;

                public static ValueTask StaticAsync(LayerMessage message) => default;

                private ValueTask ForwardAsync(LayerMessage message, string target) => default;
            }
            """);

        Assert.All(diagnostics, d => Assert.Equal(("SB1003", DiagnosticSeverity.Warning), (d.Id, d.Severity)));
        Assert.Equal(["GenericAsync", "ThreeAsync", "Log", "AuditAsync"], diagnostics.Select(SourceOf));
        Assert.Equal(
            "Helpers.Log takes a LayerMessage but does not have a handler's shape, so the app fails at startup: make it an instance " +
            "method 'Task Log(LayerMessage message, CancellationToken cancellationToken)' (or taking only the message, or returning " +
            "ValueTask), or make it private if it is not a handler",
            diagnostics[2].GetMessage());
        Assert.StartsWith("Helpers.AuditAsync is marked [MessageHandler] but", diagnostics[3].GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("step2")]
    [InlineData("step3")]
    [InlineData("step4")]
    public async Task Tutorial_ChatConsumer_NoDiagnostic(string step)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var diagnostics = await AnalyzeAsync(File.ReadAllText(Path.Combine(root.FullName, "docs", "tutorial", step, "ChatConsumer.cs")));

        Assert.Empty(diagnostics);
    }

    private static string SourceOf(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
}
