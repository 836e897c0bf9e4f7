using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Switchboard.FunctionalTests.ReferenceApp;
using Switchboard.Testing;
using Switchboard.Tracing.Tests;

namespace Switchboard.FunctionalTests.Tracing;

/// <summary>The reference app on real Kestrel, traced through the OpenTelemetry SDK: the interface server's handshake
/// span under ASP.NET Core's request, the consumers' handle spans and the layer calls between them.</summary>
[Collection(TracingCollection.Name)]
public sealed class ServerTracingTests
{
    private const string RequestIn = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    [Fact]
    public async Task ChatMessage_OverAWebSocket_HandshakeUnderTheRequestAndTheBroadcastInOneTrace()
    {
        using var capture = new TraceCapture(aspNetCore: true);
        var spans = await ChatAsync(capture, "/ws/chat/lobby/");

        var request = Assert.Single(spans, s => s.OperationName == RequestIn);
        var handshake = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.Handshake);
        var connect = Assert.Single(spans, s => s.DisplayName == EventTypes.WebSocketConnect);
        var groupAdd = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerGroupAdd);
        var receive = Assert.Single(spans, s => s.DisplayName == EventTypes.WebSocketReceive);
        var groupSend = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        var chatMessage = Assert.Single(spans, s => s.DisplayName == "chat.message");

        Assert.Equal(request.SpanId, handshake.ParentSpanId);
        Assert.Equal(101, handshake.GetTagItem("http.response.status_code"));
        Assert.Equal(ScopeTypes.WebSocket, handshake.GetTagItem("switchboard.scope.type"));
        Assert.Equal(handshake.SpanId, connect.ParentSpanId);
        Assert.Equal(connect.SpanId, groupAdd.ParentSpanId);
        Assert.Equal("chat_lobby", groupAdd.GetTagItem("messaging.destination.name"));

        // After the handshake each message is a trace of its own, linked to the connection's request.
        Assert.Equal(default, receive.ParentSpanId);
        Assert.NotEqual(request.TraceId, receive.TraceId);
        Assert.Contains(receive.Links, link => link.Context.SpanId == request.SpanId);
        Assert.Equal(receive.SpanId, groupSend.ParentSpanId);
        Assert.Equal(groupSend.SpanId, chatMessage.ParentSpanId);
        Assert.Equal(receive.TraceId, chatMessage.TraceId);
        Assert.Equal(ActivityKind.Consumer, chatMessage.Kind);
    }

    [Fact]
    public async Task ChatMessage_Over1xFunctionConsumers_TheWorkerContinuesTheSocketsTrace()
    {
        using var capture = new TraceCapture(aspNetCore: true);
        var spans = await ChatAsync(capture, "/ws/chat1x/lobby/", "chat.submit");

        // ws_message sends to chat-messages; the in-process worker (msg_consumer) broadcasts to the room.
        var receive = Assert.Single(spans, s => s.DisplayName == EventTypes.WebSocketReceive);
        var send = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerSend);
        var submit = Assert.Single(spans, s => s.DisplayName == "chat.submit");
        var groupSend = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        var chatMessage = Assert.Single(spans, s => s.DisplayName == "chat.message");

        Assert.Equal(receive.SpanId, send.ParentSpanId);
        Assert.Equal(send.SpanId, submit.ParentSpanId);
        Assert.Equal("chat-messages", submit.GetTagItem("messaging.destination.name"));
        Assert.Equal(submit.SpanId, groupSend.ParentSpanId);
        Assert.Equal(groupSend.SpanId, chatMessage.ParentSpanId);
        Assert.All([send, submit, groupSend, chatMessage], span => Assert.Equal(receive.TraceId, span.TraceId));
    }

    [Fact]
    public async Task LongPoll_Notification_HttpHandshakeEndsAtTheResponseAndTheHandlerContinuesThePost()
    {
        using var capture = new TraceCapture(aspNetCore: true);
        await using var server = await StartAsync();

        var poll = server.Http.GetAsync("/poll/notifications");
        await capture.WaitForSpanAsync(s => s.OperationName == SwitchboardActivities.LayerGroupAdd);
        using (var notify = await server.Http.PostAsync("/notify", new StringContent("""{"text": "hello"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, notify.StatusCode);
        }

        using (var response = await poll.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The handler's "notify" span ends after the response it sent, so it can end after the GET's request span.
        var spans = await capture.WaitForAsync(s => s.Count(a => a.OperationName == RequestIn) == 2
            && s.Any(a => a.OperationName == SwitchboardActivities.Handshake) && s.Any(a => a.DisplayName == "notify"));
        var handshake = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.Handshake);
        var groupSend = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        var notified = Assert.Single(spans, s => s.DisplayName == "notify");
        var get = Assert.Single(spans, s => s.OperationName == RequestIn && s.SpanId == handshake.ParentSpanId);
        var post = Assert.Single(spans, s => s.OperationName == RequestIn && s.SpanId == groupSend.ParentSpanId);

        // The GET's exchange: the handshake lasts until the response starts; the POST's trace reaches the handler.
        Assert.NotEqual(get.TraceId, post.TraceId);
        Assert.Equal(ScopeTypes.Http, handshake.GetTagItem("switchboard.scope.type"));
        Assert.Equal(200, handshake.GetTagItem("http.response.status_code"));
        Assert.Equal(handshake.SpanId, Assert.Single(spans, s => s.DisplayName == EventTypes.HttpRequest).ParentSpanId);
        Assert.Equal(groupSend.SpanId, notified.ParentSpanId);
        Assert.Equal(post.TraceId, notified.TraceId);
    }

    [Fact]
    public async Task ForeignOrigin_Refused_HandshakeRecords403WithoutAnError()
    {
        using var capture = new TraceCapture(aspNetCore: true);
        await using var server = await StartAsync();

        await Assert.ThrowsAnyAsync<WebSocketException>(() =>
            server.ConnectAsync("/ws/chat/lobby/", options => options.SetRequestHeader("Origin", "http://evil.example")));

        var handshake = await capture.WaitForSpanAsync(s => s.OperationName == SwitchboardActivities.Handshake);
        Assert.Equal(403, handshake.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, handshake.Status);
    }

    /// <summary>One chat message over a socket of the reference app, then the close; returns the spans once the
    /// request's span (it ends with the socket), the consumer's end sequence and the spans named
    /// <paramref name="alsoEnded"/> (handlers elsewhere, such as a worker's, that may end after the socket) have ended.</summary>
    private static async Task<IReadOnlyList<Activity>> ChatAsync(TraceCapture capture, string path, params string[] alsoEnded)
    {
        await using var server = await StartAsync();
        using (var socket = await server.ConnectAsync(path))
        {
            await ChatAppFixture.SendTextAsync(socket, """{"message": "hi"}""");
            Assert.Equal("""{"message":"hi"}""", await ChatAppFixture.ReceiveTextAsync(socket));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        return await capture.WaitForAsync(s => s.Any(a => a.OperationName == RequestIn) && s.Any(a => a.OperationName == SwitchboardActivities.End)
            && alsoEnded.All(name => s.Any(a => a.DisplayName == name)));
    }

    private static Task<SwitchboardLiveServer> StartAsync() =>
        SwitchboardLiveServer.StartAsync(Chat.ChatServer.CreateApp(["--Logging:LogLevel:Default=Warning"]));
}
