using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Testing;

namespace Switchboard.FunctionalTests.Server;

/// <summary>SwitchboardServerOptions.IncomingMessageRateLimit on real Kestrel, with the server's clock under the test's control.</summary>
public class IncomingRateLimitTests
{
    [Fact]
    public async Task Flood_BeyondTheBurst_ClosedWith1008AndLogged_ACalmClientOnTheSameServerUnaffected()
    {
        var time = new ManualTimeProvider();
        var flooderDisconnected = new TaskCompletionSource<WebSocketDisconnectEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var echo = TestApplications.Echo();
        var application = IApplication.Create((scope, receive, send) =>
            scope.Path == "/ws/flood/" ? TestApplications.Echo(flooderDisconnected).InvokeAsync(scope, receive, send) : echo.InvokeAsync(scope, receive, send));
        await using var server = await KestrelTestServer.StartAsync(
            application,
            options =>
            {
                options.IncomingMessageRateLimit = 10;
                options.IncomingMessageBurst = 5;
            },
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var calm = await server.ConnectAsync("/ws/calm/");
        using var flooder = await server.ConnectAsync("/ws/flood/");

        // The burst goes through; the message after it, with no time passed, is one too many.
        for (var i = 0; i < 6; i++)
        {
            await flooder.SendTextAsync($"flood {i}");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"flood {i}", (await flooder.ReceiveMessageAsync()).Text);
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await flooder.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseCode.PolicyViolation, (await flooderDisconnected.Task.DefaultTimeout()).Code);
        var logged = await server.Logs.WaitForEventAsync("MessageRateExceeded").DefaultTimeout();
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("/ws/flood/", logged.Message, StringComparison.Ordinal);

        // The calm client sends at the allowed rate: five now, five a second later, and stays open.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                await calm.SendTextAsync($"calm {round}.{i}");
                Assert.Equal($"calm {round}.{i}", (await calm.ReceiveMessageAsync()).Text);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(WebSocketState.Open, calm.State);
    }

    [Fact]
    public async Task RateLimitOff_ByDefault_AFastClientIsNeverClosed()
    {
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo());
        using var client = await server.ConnectAsync("/ws/");

        for (var i = 0; i < 500; i++)
        {
            await client.SendTextAsync("x");
        }

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal("x", (await client.ReceiveMessageAsync()).Text);
        }

        Assert.False(server.Logs.Contains("MessageRateExceeded"));
    }

    [Theory]
    [InlineData(-1, 10, "IncomingMessageRateLimit")]
    [InlineData(double.NaN, 10, "IncomingMessageRateLimit")]
    [InlineData(5, 0, "IncomingMessageBurst")]
    public async Task InvalidRateOptions_FailAtStartupNamingTheOption(double rate, int burst, string option)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => KestrelTestServer.StartAsync(
            TestApplications.Echo(),
            options =>
            {
                options.IncomingMessageRateLimit = rate;
                options.IncomingMessageBurst = burst;
            }));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}
