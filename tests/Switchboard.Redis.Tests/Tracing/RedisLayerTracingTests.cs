using System.Diagnostics;
using MessagePack;
using StackExchange.Redis;
using Switchboard.Redis.Internal;
using Switchboard.Redis.Tests.Infrastructure;
using Switchboard.Tracing.Tests;

namespace Switchboard.Redis.Tests.Tracing;

/// <summary>The Redis layer's spans and the reserved key <c>__switchboard_trace__</c> on the wire, read back with a plain
/// Redis client: written for a traced send only, never without a listener or with propagation off.</summary>
[Collection(RedisTracingCollection.Name)]
public sealed class RedisLayerTracingTests(RedisServerFixture redis) : IAsyncLifetime
{
    // {"type": "chat.message", "message": "hi"} as channels_redis writes it, after the 12 random bytes.
    private const string UntracedEntries = "a474797065ac636861742e6d657373616765a76d657373616765a26869";

    private readonly string _prefix = RedisServerFixture.UniquePrefix();
    private ConnectionMultiplexer _client = null!;

    private IDatabase Database => _client.GetDatabase();

    public async Task InitializeAsync() => _client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Server.Port}");

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task SendAsync_Traced_StoresTheSendSpansTraceparentUnderTheReservedKey()
    {
        using var capture = new TraceCapture();
        await using var layer = CreateLayer();

        await layer.SendAsync("jobs", new LayerMessage("chat.message") { ["message"] = "hi" });

        var send = Assert.Single(capture.Spans);
        Assert.Equal(SwitchboardActivities.LayerSend, send.OperationName);
        Assert.Equal("redis", send.GetTagItem("switchboard.layer.type"));
        var expected = "83" + UntracedEntries
            + Hex((ref MessagePackWriter w) => w.Write(LayerMessage.TraceContextKey)) + "81" + Hex((ref MessagePackWriter w) => w.Write("traceparent")) + Hex((ref MessagePackWriter w) => w.Write(send.Id));
        Assert.Equal(expected, Convert.ToHexStringLower((await ReadMemberAsync("jobs")).AsSpan(12)));
    }

    [Fact]
    public async Task SendAsync_PropagationOff_StoresChannelsRedisBytes()
    {
        using var capture = new TraceCapture();
        await using var layer = CreateLayer(o => o.PropagateTraceContext = false);

        await layer.SendAsync("jobs", new LayerMessage("chat.message") { ["message"] = "hi" });

        Assert.Equal("82" + UntracedEntries, Convert.ToHexStringLower((await ReadMemberAsync("jobs")).AsSpan(12)));
        Assert.Single(capture.Spans);
    }

    [Fact]
    public async Task SendAsync_NoListener_StoresChannelsRedisBytes()
    {
        await using var layer = CreateLayer();
        Assert.False(SwitchboardActivities.Source.HasListeners());

        await layer.SendAsync("jobs", new LayerMessage("chat.message") { ["message"] = "hi" });

        Assert.Equal("82" + UntracedEntries, Convert.ToHexStringLower((await ReadMemberAsync("jobs")).AsSpan(12)));
    }

    [Fact]
    public async Task SendAsync_ForwardedWithoutAListener_DropsTheContextItArrivedWith()
    {
        await using var layer = CreateLayer();
        LayerMessage received;
        using (new TraceCapture())
        {
            await layer.SendAsync("first", new LayerMessage("chat.message") { ["message"] = "hi" });
            received = await layer.ReceiveAsync("first");
            Assert.NotNull(received.TraceContext);
        }

        await layer.SendAsync("jobs", received);

        Assert.Equal("82" + UntracedEntries, Convert.ToHexStringLower((await ReadMemberAsync("jobs")).AsSpan(12)));
    }

    /// <summary>Both group-send paths: one Lua script on one host, and the per-process copies a capacity rule forces.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GroupSendAsync_Traced_EveryProcessContinuesTheGroupSendSpan(bool withCapacityRule)
    {
        using var capture = new TraceCapture();
        await using var sender = CreateLayer(o => AddRule(o, withCapacityRule));
        await using var first = CreateLayer();
        await using var second = CreateLayer();
        var firstChannel = await first.NewChannelAsync();
        var secondChannel = await second.NewChannelAsync();
        await sender.GroupAddAsync("room", firstChannel);
        await sender.GroupAddAsync("room", secondChannel);

        await sender.GroupSendAsync("room", new LayerMessage("chat.message") { ["message"] = "hi" });
        var atFirst = await first.ReceiveAsync(firstChannel).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var atSecond = await second.ReceiveAsync(secondChannel).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var groupSend = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        Assert.Equal(2, groupSend.GetTagItem("switchboard.group.members"));
        Assert.Equal(groupSend.Id, atFirst.TraceContext?.TraceParent);
        Assert.Equal(groupSend.Id, atSecond.TraceContext?.TraceParent);
        Assert.Equal(["message", "type"], atFirst.Keys.Order());
    }

    [Fact]
    public void Deserialize_TraceKeyOfAnotherShape_DeliversTheMessageWithoutIt()
    {
        var codec = new RedisMessageCodec(12, null);
        var member = Member((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("type");
            w.Write("chat.message");
            w.Write(LayerMessage.TraceContextKey);
            w.Write("not a map");
        });

        var message = codec.Deserialize(member).Message;

        Assert.Equal(["type"], message.Keys);
        Assert.Null(message.TraceContext);
    }

    [Fact]
    public void Deserialize_PropagationOff_TakesTheKeyOutAndKeepsNoContext()
    {
        var member = Member((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("type");
            w.Write("chat.message");
            w.Write(LayerMessage.TraceContextKey);
            w.WriteMapHeader(2);
            w.Write("traceparent");
            w.Write("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            w.Write("tracestate");
            w.Write("vendor=1");
        });

        var kept = new RedisMessageCodec(12, null).Deserialize(member).Message;
        var ignored = new RedisMessageCodec(12, null, readTraceContext: false).Deserialize(member).Message;

        Assert.Equal(new LayerTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=1"), kept.TraceContext);
        Assert.Null(ignored.TraceContext);
        Assert.Equal(["type"], ignored.Keys);
    }

    [Fact]
    public async Task SendAsync_MessageWithTheReservedKey_ThrowsNamingTheFix()
    {
        await using var layer = CreateLayer();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            layer.SendAsync("jobs", new LayerMessage("chat.message") { [LayerMessage.TraceContextKey] = "x" }).AsTask());

        Assert.Contains("Rename the key", error.Message, StringComparison.Ordinal);
    }

    private static void AddRule(RedisChannelLayerOptions options, bool add)
    {
        if (add)
        {
            options.ChannelCapacities.Add(new ChannelCapacityRule("jobs*", 10));
        }
    }

    private RedisChannelLayer CreateLayer(Action<RedisChannelLayerOptions>? configure = null)
    {
        var options = new RedisChannelLayerOptions { Prefix = _prefix };
        options.Hosts.Add(redis.Server.Url);
        configure?.Invoke(options);
        return new RedisChannelLayer(options);
    }

    private async Task<byte[]> ReadMemberAsync(string channel) =>
        (byte[])Assert.Single(await Database.SortedSetRangeByRankAsync(_prefix + channel))!;

    private static string Hex(WriteMessagePack write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return Convert.ToHexStringLower(buffer.WrittenSpan);
    }

    private delegate void WriteMessagePack(ref MessagePackWriter writer);

    private static byte[] Member(WriteMessagePack write) => [.. new byte[12], .. Convert.FromHexString(Hex(write))];
}
