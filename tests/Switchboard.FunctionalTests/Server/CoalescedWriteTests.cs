using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Switchboard.AspNetCore;
using Switchboard.AspNetCore.Internal;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

/// <summary>
/// The outbox on real sockets: backlogs built behind slow readers (small TCP receive buffers) are written coalesced,
/// complete, in order, with their kinds, with the close last, keep-alive pings intact, over HTTP/1.1 and HTTP/2.
/// </summary>
public class CoalescedWriteTests
{
    private const string Sent = "switchboard.websocket.sent.messages";
    private const string Dropped = "switchboard.websocket.dropped.messages";

    [Fact]
    public async Task Send_BurstOf10000SmallMessagesToASlowReader_ArrivesCompleteAndInOrderWithoutClose()
    {
        const int count = 10_000;
        var burst = new Burst(count, i => new WebSocketSendEvent(Message(i)));
        await using var server = await KestrelTestServer.StartAsync(burst.Application, LongCloseHandshake);
        using var meter = new SwitchboardMeterCapture(server.Services);
        using var client = await server.ConnectWithSmallReceiveBufferAsync("/ws/burst/");

        await burst.Queued.DefaultTimeout();

        // The backlog is real: far more than the old limit of 1,000 messages waits in the outbox, unwritten.
        Assert.True(meter.Total(Sent) < count - 1000, $"only {meter.Total(Sent)} of {count} were written before the client read");
        for (var i = 0; i < count; i++)
        {
            if (i % 1000 == 0)
            {
                await Task.Delay(20); // slow, but reading
            }

            var message = await client.ReceiveMessageAsync();
            Assert.Equal(WebSocketMessageType.Text, message.Type);
            Assert.Equal(Message(i), message.Text);
        }

        // The close the application queued behind the backlog comes after every message.
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync(maxMessages: 1));
        Assert.Equal(0, meter.Total(Dropped));
        Assert.Equal(WebSocketCloseCode.NormalClosure, (await burst.Disconnected.DefaultTimeout()).Code);

        static string Message(int i) => i.ToString("D6") + new string('m', 58);
    }

    [Fact]
    public async Task Send_MixedTextBinaryAndEmptyFramesCoalesced_ArriveWithKindsIntactAndTheCloseLast()
    {
        const int count = 3000;
        var burst = new Burst(count, Mixed, new WebSocketCloseEvent(4001, "done"));
        await using var server = await KestrelTestServer.StartAsync(burst.Application, LongCloseHandshake);
        using var client = await server.ConnectWithSmallReceiveBufferAsync("/ws/mixed/");

        await burst.Queued.DefaultTimeout();
        for (var i = 0; i < count; i++)
        {
            var expected = Mixed(i);
            var message = await client.ReceiveMessageAsync();
            Assert.Equal(expected.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, message.Type);
            Assert.Equal(expected.Data.ToArray(), message.Data);
        }

        Assert.Equal((WebSocketCloseStatus)4001, await client.ReceiveCloseAsync(maxMessages: 1));
        Assert.Equal("done", client.CloseStatusDescription);

        static WebSocketSendEvent Mixed(int i) => (i % 6) switch
        {
            0 => new WebSocketSendEvent($"text {i}"),
            1 => new WebSocketSendEvent(Pattern(i, i % 200), isText: false),
            2 => new WebSocketSendEvent(""),
            3 => new WebSocketSendEvent(ReadOnlyMemory<byte>.Empty, isText: false),
            4 => new WebSocketSendEvent(new string((char)('a' + (i % 26)), 130 + (i % 300))),
            _ => new WebSocketSendEvent(Pattern(i, i % 500 == 5 ? 70_000 : 3), isText: false),
        };
    }

    [Fact]
    public async Task Send_ClientsThatStopReading_AreClosedWith1008CountedByReasonAndWarnedOnce()
    {
        var disconnects = new List<Task<WebSocketDisconnectEvent>>();
        var payload = new byte[64 * 1024];
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (disconnects)
            {
                disconnects.Add(disconnected.Task);
            }

            await receive(default);
            await send(new WebSocketAcceptEvent(), default);

            // Far more than the budget, the kernel's and Kestrel's buffers: the outbox must overflow.
            for (var i = 0; i < 200; i++)
            {
                await send(new WebSocketSendEvent(payload, isText: false), default);
            }

            disconnected.TrySetResult(Assert.IsType<WebSocketDisconnectEvent>(await receive(default)));
        });
        await using var server = await KestrelTestServer.StartAsync(application, options => options.OutboundQueueMaxBytes = 256 * 1024);
        using var meter = new SwitchboardMeterCapture(server.Services);
        using var first = await server.ConnectWithSmallReceiveBufferAsync("/ws/stalled/1/");
        using var second = await server.ConnectWithSmallReceiveBufferAsync("/ws/stalled/2/");

        Task<WebSocketDisconnectEvent>[] ended;
        lock (disconnects)
        {
            ended = [.. disconnects];
        }

        Assert.All(await Task.WhenAll(ended).DefaultTimeout(), e => Assert.Equal(WebSocketCloseCode.PolicyViolation, e.Code));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await first.ReceiveCloseAsync(maxMessages: 200));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.ReceiveCloseAsync(maxMessages: 200));

        Assert.Equal(2, meter.Total("switchboard.websocket.overflowed.connections"));
        Assert.InRange(meter.Total(Dropped, SwitchboardMetrics.OutboundOverflowReason), 2, 400);
        Assert.Equal(meter.Total(Dropped), meter.Total(Dropped, SwitchboardMetrics.OutboundOverflowReason));

        // One Warning for the server, the other overflow at Debug (the two may be logged in either order).
        var overflows = server.Logs.Entries.Where(e => e.EventId.Name is "OutboundOverflow" or "OutboundOverflowRepeated").ToList();
        var warning = Assert.Single(overflows, e => e.Level == LogLevel.Warning);
        Assert.Equal("OutboundOverflow", warning.EventId.Name);
        Assert.Contains("1008", warning.Message, StringComparison.Ordinal);
        Assert.Equal("OutboundOverflowRepeated", Assert.Single(overflows, e => e.Level == LogLevel.Debug).EventId.Name);
    }

    [Fact]
    public async Task Send_KeepAlivePingsDuringCoalescedBacklogs_EveryFrameArrivesWhole()
    {
        const int count = 20_000;
        var burst = new Burst(count, i => new WebSocketSendEvent(Text(i)));
        await using var server = await KestrelTestServer.StartAsync(burst.Application, options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(20);
            options.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            options.CloseHandshakeTimeout = TimeSpan.FromSeconds(30);
        });
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/pings/"), receiveBufferSize: 4096);

        // Every frame is parsed strictly; a ping torn by, or tearing, a coalesced batch fails the parse or the text.
        var pings = 0;
        var next = 0;
        while (true)
        {
            var frame = await client.ReceiveFrameAsync();
            if (frame.Opcode == 0x9)
            {
                pings++;
                await client.SendFrameAsync(0xA, frame.Payload);
                continue;
            }

            if (frame.Opcode == 0x8)
            {
                Assert.Equal(WebSocketCloseCode.NormalClosure, (frame.Payload[0] << 8) | frame.Payload[1]);
                await client.SendFrameAsync(0x8, frame.Payload);
                break;
            }

            Assert.True(frame.Fin);
            Assert.Equal(0x1, frame.Opcode);
            Assert.Equal(Text(next), frame.Text);
            if (++next % 2000 == 0)
            {
                await Task.Delay(30); // let a backlog build and pings fall due
            }
        }

        Assert.Equal(count, next);
        Assert.True(pings > 0, "the server pinged while it wrote");
        Assert.Equal(WebSocketCloseCode.NormalClosure, (await burst.Disconnected.DefaultTimeout()).Code);

        static string Text(int i) => i + ":" + new string((char)('a' + (i % 26)), i % 150); // 2.9 MB with overheads: within the budget
    }

    [Fact]
    public async Task Send_BurstOverHttp2_ArrivesCompleteAndInOrder()
    {
        const int count = 5000;
        var burst = new Burst(count, i => new WebSocketSendEvent($"h2 {i}"));
        await using var server = await KestrelTestServer.StartAsync(
            burst.Application,
            LongCloseHandshake,
            configureBuilder: builder => builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2)));
        using var client = await server.ConnectWithSmallReceiveBufferAsync("/ws/h2burst/", http2: true);

        await burst.Queued.DefaultTimeout();
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"h2 {i}", (await client.ReceiveMessageAsync()).Text);
        }

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync(maxMessages: 1));
    }

    [Fact]
    public async Task Send_BurstWhenTheAppRanUseWebSocketsFirst_StillArrivesCompleteAndInOrder()
    {
        // UseWebSockets() before the endpoint captures the server's own upgrade feature: no transport for the outbox,
        // which then sends every message through the WebSocket.
        const int count = 3000;
        var burst = new Burst(count, i => new WebSocketSendEvent($"plain {i}"));
        await using var server = await KestrelTestServer.StartAsync(burst.Application, LongCloseHandshake, configureApp: app => app.UseWebSockets());
        using var client = await server.ConnectWithSmallReceiveBufferAsync("/ws/plain/");

        await burst.Queued.DefaultTimeout();
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"plain {i}", (await client.ReceiveMessageAsync()).Text);
        }

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync(maxMessages: 1));
    }

    [Fact]
    public async Task Send_BacklogWithPerMessageDeflateNegotiated_EveryMessageGoesOutCompressedThroughTheWebSocket()
    {
        // The outbox encodes frames only without extensions: with deflate, a backlog must still be compressed (RSV1).
        // Hex of hashes compresses only to about half, so the burst is far more than the socket buffers absorb.
        const int count = 5000;
        var burst = new Burst(count, i => new WebSocketSendEvent(
            string.Concat(Enumerable.Range(0, 3).Select(k => Convert.ToHexString(SHA256.HashData(BitConverter.GetBytes((i * 3) + k)))))));
        await using var server = await KestrelTestServer.StartAsync(burst.Application, options =>
        {
            options.EnablePerMessageDeflate = true;
            options.CloseHandshakeTimeout = TimeSpan.FromSeconds(30);
        });
        await using var client = await RawWebSocketClient.ConnectAsync(
            server.WebSocketUri("/ws/deflate/"), receiveBufferSize: 4096, extensions: "permessage-deflate; client_no_context_takeover");
        Assert.Contains("permessage-deflate", client.ResponseHead, StringComparison.OrdinalIgnoreCase);

        await burst.Queued.DefaultTimeout();
        var frames = 0;
        while (true)
        {
            var frame = await client.ReceiveFrameAsync(allowCompressed: true);
            if (frame.Opcode == 0x8)
            {
                break;
            }

            Assert.Equal(0x1, frame.Opcode);
            Assert.True(frame.Fin);
            Assert.True(frame.Compressed, $"message {frames} went out uncompressed");
            frames++;
        }

        Assert.Equal(count, frames);
    }

    [Fact]
    public async Task Send_AfterTheClientIsGone_IsIgnoredAtDebugWithoutAnError()
    {
        var done = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            Assert.IsType<WebSocketDisconnectEvent>(await receive(default));
            try
            {
                // As a consumer whose token the disconnect cancelled, and one that did not pass a token.
                using var cancelled = new CancellationTokenSource();
                await cancelled.CancelAsync();
                for (var i = 0; i < 10; i++)
                {
                    await send(new WebSocketSendEvent($"late {i}"), cancelled.Token);
                    await send(new WebSocketSendEvent($"late {i}"), default);
                }

                done.TrySetResult(null);
            }
            catch (Exception e)
            {
                done.TrySetResult(e);
            }
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        var client = await server.ConnectAsync("/ws/gone/");

        client.Abort();
        client.Dispose();

        Assert.Null(await done.Task.DefaultTimeout());
        await server.Logs.WaitForAsync(e => e.EventId.Name is "MessageIgnoredAfterClose" && e.Level == LogLevel.Debug).DefaultTimeout();
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private static void LongCloseHandshake(SwitchboardServerOptions options) =>
        options.CloseHandshakeTimeout = TimeSpan.FromSeconds(30); // the close waits behind a backlog the test reads slowly

    private static byte[] Pattern(int seed, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }

        return bytes;
    }

    /// <summary>An application that accepts, queues <c>count</c> messages back to back, then a close, and records its disconnect.</summary>
    private sealed class Burst(int count, Func<int, WebSocketSendEvent> message, WebSocketCloseEvent? close = null)
    {
        private readonly TaskCompletionSource _queued = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<WebSocketDisconnectEvent> _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Queued => _queued.Task;

        public Task<WebSocketDisconnectEvent> Disconnected => _disconnected.Task;

        public IApplication Application => IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            for (var i = 0; i < count; i++)
            {
                await send(message(i), default);
            }

            _queued.TrySetResult();
            await send(close ?? new WebSocketCloseEvent(), default);
            _disconnected.TrySetResult(Assert.IsType<WebSocketDisconnectEvent>(await receive(default)));
        });
    }
}
