using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Redis.Tests.Infrastructure;
using Switchboard.Tracing.Tests;

namespace Switchboard.Redis.Tests.Tracing;

/// <summary>Two instances of the reference app on real Kestrel sharing one redis-server: a trace started in one
/// continues in the consumers and workers of the other, through the trace context the Redis layer carries.</summary>
[Collection(RedisTracingCollection.Name)]
public sealed class RedisAppTracingTests(RedisServerFixture redis)
{
    private const string RequestIn = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    [Fact]
    public async Task ChatMessage_SentOnOneInstance_TheOtherInstancesConsumerContinuesTheTrace()
    {
        using var capture = new TraceCapture();
        var prefix = RedisServerFixture.UniquePrefix();
        await using var first = await RedisChatApp.StartAsync(redis.Server.Url, prefix);
        await using var second = await RedisChatApp.StartAsync(redis.Server.Url, prefix);
        using var sender = await first.ConnectAsync("/ws/chat/lobby/");
        using var listener = await second.ConnectAsync("/ws/chat/lobby/");
        await redis.Server.WaitForGroupMembersAsync(prefix, "chat_lobby", members: 2);

        await RedisChatApp.SendTextAsync(sender, """{"message": "hi"}""");

        Assert.Equal("""{"message":"hi"}""", await RedisChatApp.ReceiveTextAsync(listener));
        var spans = await capture.WaitForAsync(s => s.Count(a => a.DisplayName == "chat.message") == 2);
        var receive = Assert.Single(spans, s => s.DisplayName == EventTypes.WebSocketReceive);
        var groupSend = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        var atSecond = Assert.Single(spans, s => s.DisplayName == "chat.message" && IsChannelOf(second, s));
        Assert.Equal(receive.SpanId, groupSend.ParentSpanId);
        Assert.Equal("redis", groupSend.GetTagItem("switchboard.layer.type"));
        Assert.Equal(receive.TraceId, atSecond.TraceId);
        Assert.Equal(groupSend.SpanId, atSecond.ParentSpanId);
        Assert.True(atSecond.HasRemoteParent);
    }

    [Fact]
    public async Task Thumbnail_PostedOnOneInstance_TheOthersWorkerAndTheNotifyListenerContinueThePost()
    {
        using var capture = new TraceCapture(aspNetCore: true);
        var prefix = RedisServerFixture.UniquePrefix();
        await using var web = await RedisChatApp.StartAsync(redis.Server.Url, prefix);
        await using var worker = await RedisChatApp.StartAsync(redis.Server.Url, prefix, thumbnailsWorker: true);
        using var listener = await web.ConnectAsync("/ws/notify/");
        await redis.Server.WaitForGroupMembersAsync(prefix, "notifications");

        using (var posted = await web.Http.PostAsync("/thumbnail?id=7", content: null))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        Assert.Equal("""{"thumbnail": 7}""", await RedisChatApp.ReceiveTextAsync(listener));
        // The worker's "generate" span ends after its group send returns, which can be after the listener's "notify"
        // span has ended: wait for every span the test reads, not the last one to arrive in the usual order.
        var spans = await capture.WaitForAsync(s =>
            s.Any(a => a.DisplayName == "notify") && s.Any(a => a.DisplayName == "generate") && s.Any(a => a.OperationName == RequestIn));
        var send = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerSend);
        var post = Assert.Single(spans, s => s.OperationName == RequestIn && s.SpanId == send.ParentSpanId);
        var generate = Assert.Single(spans, s => s.DisplayName == "generate");
        var groupSend = Assert.Single(spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        var notify = Assert.Single(spans, s => s.DisplayName == "notify");

        Assert.Equal("thumbnails", send.GetTagItem("messaging.destination.name"));
        Assert.Equal(send.SpanId, generate.ParentSpanId);
        Assert.Equal("ThumbnailConsumer", generate.GetTagItem("switchboard.consumer"));
        Assert.Equal(generate.SpanId, groupSend.ParentSpanId);
        Assert.Equal(groupSend.SpanId, notify.ParentSpanId);
        Assert.True(IsChannelOf(web, notify));
        Assert.All([generate, groupSend, notify], span => Assert.Equal(post.TraceId, span.TraceId));
    }

    /// <summary>Whether a handle span's channel is one of that app's layer (its client prefix is in the name).</summary>
    private static bool IsChannelOf(RedisChatApp app, Activity span) =>
        span.GetTagItem("messaging.destination.name") is string channel
        && channel.Contains(((RedisChannelLayer)app.Services.GetRequiredService<IChannelLayer>()).ClientPrefix, StringComparison.Ordinal);
}
