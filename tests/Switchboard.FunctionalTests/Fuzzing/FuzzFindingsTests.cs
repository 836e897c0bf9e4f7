using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Reliability.Fuzzing;

namespace Switchboard.FunctionalTests.Fuzzing;

/// <summary>Regression tests for what the fuzzers found, each named after the bug, against the reference app.</summary>
public sealed class FuzzFindingsTests
{
    [Theory]
    [InlineData(new byte[] { 0x81, 0x01, 0x61 })]          // text "a", unmasked: 1 byte where the mask's 4 should be
    [InlineData(new byte[] { 0x89, 0x00 })]                // an empty ping, unmasked
    [InlineData(new byte[] { 0x8B, 0x00 })]                // a reserved opcode, unmasked and empty
    [InlineData(new byte[] { 0x82, 0x7E, 0x00, 0x02, 0x01, 0x02 })] // 16-bit length form, unmasked, 2 bytes
    public async Task UnmaskedFrameShorterThanAMask_ClosesWith1002AtOnce(byte[] frame)
    {
        // Found by the frame fuzzer: .NET's WebSocket waited for the 4 mask bytes of every client header before looking
        // at the mask bit, so this frame, with nothing after it, was never refused.
        await using var target = await FuzzTarget.StartAsync();
        await using var client = await RawWebSocketClient.ConnectAsync(new Uri(target.WebSocketBase, "ws/chat/lobby/"));
        await client.Stream.WriteAsync(frame).DefaultTimeout();

        var close = await client.ReceiveFrameAsync();

        Assert.Equal(0x8, close.Opcode);
        Assert.Equal(1002, (close.Payload[0] << 8) | close.Payload[1]);
    }

    [Fact]
    public async Task UnmaskedFrameWrittenByteByByte_ClosesWith1002()
    {
        await using var target = await FuzzTarget.StartAsync();
        await using var client = await RawWebSocketClient.ConnectAsync(new Uri(target.WebSocketBase, "ws/chat/lobby/"));

        // A masked frame first (the scanner follows frame boundaries across reads), then the unmasked one, one byte a write.
        await client.SendFrameAsync(0x9, [1, 2, 3]);
        Assert.Equal(0xA, (await client.ReceiveFrameAsync()).Opcode);
        foreach (var b in new byte[] { 0x81, 0x02, 0x68 })
        {
            await client.Stream.WriteAsync(new[] { b }).DefaultTimeout();
            await client.Stream.FlushAsync();
        }

        var close = await client.ReceiveFrameAsync();

        Assert.Equal(1002, (close.Payload[0] << 8) | close.Payload[1]);
    }

    [Fact]
    public async Task LoneSurrogateEscapeInChatMessage_ClosesWith1007NotError()
    {
        // The first probe's finding: {"message": "\ud800"} closed with 1011 and logged an Error with a stack trace.
        await using var target = await FuzzTarget.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(target.WebSocketBase, "ws/chat/lobby/"), CancellationToken.None).DefaultTimeout();
        await socket.SendAsync("{\"message\": \"\\ud800\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

        var result = await socket.ReceiveAsync(new byte[256], CancellationToken.None).DefaultTimeout();

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal((WebSocketCloseStatus)1007, socket.CloseStatus);
        Assert.DoesNotContain(target.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task DuplicateMessageKey_LastOneIsBroadcast()
    {
        // Documented in docs/tutorial.md, which the fuzzers' oracle follows: with "message" given twice, the last counts.
        await using var target = await FuzzTarget.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(target.WebSocketBase, "ws/chat/dup/"), CancellationToken.None).DefaultTimeout();
        await socket.SendAsync("{\"message\": \"first\", \"message\": \"last\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();

        Assert.Equal("{\"message\":\"last\"}", Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    [Fact]
    public async Task NotifyWithBrokenChunkedBody_Answers400WithoutErrorLog()
    {
        // Found by the HTTP fuzzer: Kestrel's BadHttpRequestException escaped POST /notify's body reader and was
        // logged as an unhandled exception (Error).
        await using var target = await FuzzTarget.StartAsync();
        var request = new HttpInput("/notify", Encoding.UTF8.GetBytes("{\"a\": 1}"), "broken-chunked") { Chunks = [3], BrokenChunk = true };
        await using var socket = await FuzzSocket.ConnectAsync(target.HttpBase);
        await socket.WriteAsync(request.Encode(target.Authority));

        var (status, _) = await socket.ReadHeadAsync();

        Assert.Equal(400, status);
        Assert.DoesNotContain(target.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
