using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class SlowClientTests
{
    [Fact]
    public async Task ClientThatStopsReading_IsClosedWith1008_WhileAnotherClientKeepsGettingPromptReplies()
    {
        var slowDisconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        var payload = new byte[64 * 1024];
        var echo = TestApplications.Echo();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            if (scope.Path != "/ws/slow/")
            {
                await echo.InvokeAsync(scope, receive, send);
                return;
            }

            await receive(default);
            await send(new WebSocketAcceptEvent(), default);

            // Far more than the kernel's and Kestrel's buffers can hold: the queue must overflow.
            for (var i = 0; i < 2000; i++)
            {
                await send(new WebSocketSendEvent(payload, isText: false), default);
            }

            slowDisconnected.TrySetResult(Assert.IsType<WebSocketDisconnectEvent>(await receive(default)));
        });
        // The default budget (4 MiB): the 2,000 messages of 64 KiB are 128 MiB.
        await using var server = await KestrelTestServer.StartAsync(application);
        using var fast = await server.ConnectAsync("/ws/fast/");
        using var slow = await server.ConnectAsync("/ws/slow/");

        // The slow client reads nothing; its application floods it and gets 1008 as soon as the queue overflows.
        Assert.Equal(WebSocketCloseCode.PolicyViolation, (await slowDisconnected.Task.DefaultTimeout()).Code);
        Assert.Equal(LogLevel.Warning, (await server.Logs.WaitForEventAsync("OutboundOverflow").DefaultTimeout()).Level);

        // The other connection on the same server is unaffected.
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await fast.SendTextAsync($"ping {i}");
            Assert.Equal($"ping {i}", (await fast.ReceiveMessageAsync()).Text);
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1), "an echo on an unaffected connection is prompt");
        }

        // When the slow client finally reads, it gets what was already written, then the 1008 close.
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await slow.ReceiveCloseAsync(maxMessages: 2000));
    }

}
