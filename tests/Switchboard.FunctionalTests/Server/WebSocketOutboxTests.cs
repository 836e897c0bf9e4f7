using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.AspNetCore;
using Switchboard.AspNetCore.Internal;
using Switchboard.Internal;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

/// <summary>The outbound queue against a real server-side WebSocket whose connection can be held back.</summary>
public class WebSocketOutboxTests
{
    private readonly GatedStream _stream = new();
    private int _overflows;

    [Fact]
    public async Task SendAsync_NothingInFlight_WritesInlineAndCompletesSynchronously()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);

        var send = outbox.SendAsync(new WebSocketSendEvent("a"), default);

        Assert.True(send.IsCompletedSuccessfully);
        Assert.Equal(["a"], Frames());
        await outbox.WhenIdleAsync().DefaultTimeout();
    }

    [Fact]
    public async Task SendAsync_WhileAWriteIsHeld_QueuesAndKeepsOrder()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection, capacity: 100);
        _stream.Hold();

        for (var i = 0; i < 50; i++)
        {
            var send = outbox.SendAsync(new WebSocketSendEvent($"m{i}"), default);
            Assert.True(send.IsCompletedSuccessfully, "send returns once the message is queued");
        }

        Assert.Equal(["m0"], Frames());
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), Frames());
        Assert.Equal(0, _overflows);
    }

    [Fact]
    public async Task SendAsync_BacklogBehindAHeldWrite_GoesOutInOneCoalescedWrite()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);
        _stream.Hold();
        await SendAllAsync(outbox, [.. Enumerable.Range(0, 50).Select(i => $"m{i}")]);

        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), Frames());
        Assert.Equal(2, _stream.Writes);
    }

    [Fact]
    public async Task SendAsync_TenThousandSmallMessagesWithDefaultLimits_AreQueuedWithoutOverflowAndCoalesced()
    {
        var defaults = new SwitchboardServerOptions();
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection, defaults.OutboundQueueCapacity, defaults.OutboundQueueMaxBytes);
        _stream.Hold();
        var messages = Enumerable.Range(0, 10_000).Select(i => i.ToString("D6") + new string('m', 58)).ToArray();

        await SendAllAsync(outbox, messages);
        Assert.Equal(0, _overflows);
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(messages, Frames());

        // The first message alone, then batches of at most 64 KiB of 66-byte frames.
        Assert.InRange(_stream.Writes, 2, 1 + (10_000 * 66 / (64 * 1024)) + 1);
    }

    [Fact]
    public async Task SendAsync_ByteBudget_CountsAFixedOverheadPerMessage()
    {
        // Room for two one-byte messages with their overhead, not three: the budget bounds memory, not payload.
        var outbox = CreateOutbox(WebSocketOverflowPolicy.DropNewest, maxBytes: 2 * (1 + SwitchboardServerOptions.OutboundMessageOverhead));
        _stream.Hold();

        await SendAllAsync(outbox, "in flight", "a", "b", "c");
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["in flight", "a", "b"], Frames());
    }

    [Fact]
    public async Task SendAsync_MixedKindsCoalesced_KeepTheirOpcodesAndLengths()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);
        _stream.Hold();
        var medium = new byte[300];
        var large = new byte[70_000];
        Random.Shared.NextBytes(medium);
        Random.Shared.NextBytes(large);
        WebSocketSendEvent[] sent =
        [
            new("first"), new("text"), new(medium, isText: false), new(""), new(ReadOnlyMemory<byte>.Empty, isText: false),
            new(large, isText: false), new("after large"),
        ];
        foreach (var message in sent)
        {
            await outbox.SendAsync(message, default).DefaultTimeout();
        }

        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        var frames = ParseFrames(_stream.Written());
        Assert.Equal(sent.Length, frames.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal(sent[i].IsText ? 0x1 : 0x2, frames[i].Opcode);
            Assert.Equal(sent[i].Data.ToArray(), frames[i].Payload);
        }

        // first; then the five small ones coalesced; the large one alone (its frame exceeds a batch); the last alone.
        Assert.Equal(4, _stream.Writes);
    }

    [Fact]
    public async Task SendAsync_QueueFullWithCloseConnection_ReportsOverflow()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection, capacity: 2);
        _stream.Hold();

        await SendAllAsync(outbox, "m0", "m1", "m2");
        Assert.Equal(0, _overflows);
        await SendAllAsync(outbox, "m3");

        Assert.Equal(1, _overflows);
    }

    [Fact]
    public async Task SendAsync_QueueFullWithDropNewest_DropsTheNewMessage()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.DropNewest, capacity: 2);
        _stream.Hold();

        await SendAllAsync(outbox, "m0", "m1", "m2", "m3", "m4");
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", "m1", "m2"], Frames());
    }

    [Fact]
    public async Task SendAsync_QueueFullWithDropOldest_DropsTheOldestQueued()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.DropOldest, capacity: 2);
        _stream.Hold();

        await SendAllAsync(outbox, "m0", "m1", "m2", "m3", "m4");
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", "m3", "m4"], Frames());
    }

    [Fact]
    public async Task SendAsync_QueueFullWithWait_WaitsForRoomThenSendsInOrder()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.Wait, capacity: 2);
        _stream.Hold();
        await SendAllAsync(outbox, "m0", "m1", "m2");

        var waiting = outbox.SendAsync(new WebSocketSendEvent("m3"), default).AsTask();
        Assert.False(waiting.IsCompleted);

        _stream.Open();
        await waiting.DefaultTimeout();
        await outbox.WhenIdleAsync().DefaultTimeout();
        Assert.Equal(["m0", "m1", "m2", "m3"], Frames());
    }

    [Fact]
    public async Task SendAsync_WaitCancelled_ThrowsAndDoesNotSend()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.Wait, capacity: 1);
        _stream.Hold();
        await SendAllAsync(outbox, "m0", "m1");
        using var cancel = new CancellationTokenSource();

        var waiting = outbox.SendAsync(new WebSocketSendEvent("m2"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.DefaultTimeout());
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();
        Assert.Equal(["m0", "m1"], Frames());
    }

    [Fact]
    public async Task SendAsync_OverByteBudget_AppliesThePolicy()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.DropNewest, capacity: 100, maxBytes: 10);
        _stream.Hold();

        // In flight, then one large message alone in the queue (allowed), then nothing more fits.
        await SendAllAsync(outbox, "m0", new string('x', 20), "m2");
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", new string('x', 20)], Frames());
    }

    [Fact]
    public async Task Close_AfterQueuedMessages_GoesLastAndLaterSendsAreIgnored()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);
        _stream.Hold();
        await SendAllAsync(outbox, "m0", "m1");

        outbox.Close(4000, "done", discardQueued: false);
        await SendAllAsync(outbox, "after");
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", "m1", "close 4000 done"], Frames());
    }

    [Fact]
    public async Task Close_DiscardingQueued_SendsOnlyWhatWasInFlight()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);
        _stream.Hold();
        await SendAllAsync(outbox, "m0", "m1", "m2");

        outbox.Close(1008, null, discardQueued: true);
        _stream.Open();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", "close 1008 "], Frames());
    }

    [Fact]
    public async Task SendAsync_DuringABatch_IsHeldThenWrittenInOneCoalescedWriteAtTheEnd()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);

        outbox.BeginBatch();
        await SendAllAsync(outbox, [.. Enumerable.Range(0, 50).Select(i => $"m{i}")]);
        Assert.Empty(Frames());

        outbox.EndBatch();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), Frames());
        Assert.Equal(1, _stream.Writes);
    }

    [Fact]
    public async Task SendAsync_BatchReachesTheCoalescedWriteSize_WritesWithoutWaitingForTheEnd()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);
        var payload = new string('x', 16 * 1024);

        outbox.BeginBatch();
        await SendAllAsync(outbox, payload, payload, payload, payload, payload);
        await WaitForAsync(() => ParseFrames(_stream.Written()).Count >= 3);

        outbox.EndBatch();
        await outbox.WhenIdleAsync().DefaultTimeout();
        Assert.Equal(5, ParseFrames(_stream.Written()).Count);
    }

    [Fact]
    public async Task Close_AfterMessagesABatchHeld_SendsThemFirst()
    {
        var outbox = CreateOutbox(WebSocketOverflowPolicy.CloseConnection);

        outbox.BeginBatch();
        await SendAllAsync(outbox, "m0", "m1");
        outbox.Close(1000, "bye", discardQueued: false);
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", "m1", "close 1000 bye"], Frames());
    }

    [Fact]
    public async Task SendAsync_LargeMessageAfterHeldOnesWithWaitPolicy_FollowsThemInsteadOfWaiting()
    {
        // The budget is smaller than the held messages plus the new one: an idle outbox must not make it wait for room
        // that only its own (not started) write would free.
        var outbox = CreateOutbox(WebSocketOverflowPolicy.Wait, maxBytes: 4096);

        outbox.BeginBatch();
        await SendAllAsync(outbox, "m0", "m1", new string('y', 4000));
        outbox.EndBatch();
        await outbox.WhenIdleAsync().DefaultTimeout();

        Assert.Equal(["m0", "m1", new string('y', 4000)], ParseFrames(_stream.Written()).Select(frame => Encoding.UTF8.GetString(frame.Payload)));
        Assert.Equal(0, _overflows);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }

    private static async Task SendAllAsync(WebSocketOutbox outbox, params string[] messages)
    {
        foreach (var message in messages)
        {
            await outbox.SendAsync(new WebSocketSendEvent(message), default).DefaultTimeout();
        }
    }

    private WebSocketOutbox CreateOutbox(WebSocketOverflowPolicy policy, int capacity = 1000, long maxBytes = 1 << 20)
    {
        // As the server builds it: the socket and the outbox's coalesced writes share one serialised transport.
        var transport = new WebSocketTransportStream(_stream);
        var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var options = new SwitchboardServerOptions { OverflowPolicy = policy, OutboundQueueCapacity = capacity, OutboundQueueMaxBytes = maxBytes };
        return new WebSocketOutbox(
            socket,
            transport,
            options,
            new SwitchboardMetrics(null),
            new LogThrottle(TimeProvider.System, TimeSpan.FromMinutes(1)),
            NullLogger.Instance,
            "/test/",
            static test => Interlocked.Increment(ref ((WebSocketOutboxTests)test)._overflows),
            this);
    }

    /// <summary>Decodes unmasked server frames of any length, checking FIN and the reserved bits.</summary>
    private static List<(int Opcode, byte[] Payload)> ParseFrames(byte[] bytes)
    {
        var frames = new List<(int, byte[])>();
        for (var i = 0; i < bytes.Length;)
        {
            Assert.Equal(0x80, bytes[i] & 0xF0);
            Assert.Equal(0, bytes[i + 1] & 0x80);
            long length = bytes[i + 1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                length = (bytes[i + 2] << 8) | bytes[i + 3];
                header = 4;
            }
            else if (length == 127)
            {
                length = 0;
                for (var k = 0; k < 8; k++)
                {
                    length = (length << 8) | bytes[i + 2 + k];
                }

                header = 10;
            }

            frames.Add((bytes[i] & 0x0F, bytes.AsSpan(i + header, (int)length).ToArray()));
            i += header + (int)length;
        }

        return frames;
    }

    /// <summary>Decodes the server's (unmasked, short) frames: text payloads, and close frames as "close CODE REASON".</summary>
    private List<string> Frames()
    {
        var bytes = _stream.Written();
        var frames = new List<string>();
        for (var i = 0; i < bytes.Length;)
        {
            var opcode = bytes[i] & 0x0F;
            var length = bytes[i + 1] & 0x7F;
            Assert.True(length < 126, "test frames are short");
            var payload = bytes.AsSpan(i + 2, length);
            frames.Add(opcode == 0x8
                ? $"close {(payload[0] << 8) | payload[1]} {Encoding.UTF8.GetString(payload[2..])}"
                : Encoding.UTF8.GetString(payload));
            i += 2 + length;
        }

        return frames;
    }
}
