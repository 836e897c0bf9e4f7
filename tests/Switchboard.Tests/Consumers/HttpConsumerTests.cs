using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Consumers;

public class HttpConsumerTests
{
    [Fact]
    public async Task GetResponseAsync_WholeResponse()
    {
        await using var client = new HttpCommunicator(Consumer.AsApplication<UpperConsumer>(), "POST", "/upper/?q=1", Encoding.UTF8.GetBytes("abc"));

        var response = await client.GetResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("ABC|POST|q=1", response.BodyText);
        Assert.Equal("text/plain; charset=utf-8", response.GetHeader("Content-Type"));
        await client.WaitAsync();
    }

    [Fact]
    public async Task HandlerThrows_Answers500AndLogs()
    {
        var logs = new TestLoggerProvider();
        var app = Consumer.AsApplication<FailingConsumer>();
        await using var services = TestServices.Create(app, logs);
        await using var client = new HttpCommunicator(app, "GET", "/", services: services);

        var response = await client.GetResponseAsync();

        Assert.Equal(500, response.Status);
        Assert.Single(logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task LongPoll_LayerMessageCompletesTheResponse()
    {
        var app = Consumer.AsApplication<LongPollConsumer>();
        await using var services = TestServices.Create(app);
        await using var client = new HttpCommunicator(app, "GET", "/poll/", services: services);
        await client.SendInputAsync(new HttpRequestEvent(ReadOnlyMemory<byte>.Empty));

        var start = Assert.IsType<HttpResponseStartEvent>(await client.ReceiveOutputAsync());
        Assert.Equal(200, start.Status);
        Assert.True(Assert.IsType<HttpResponseBodyEvent>(await client.ReceiveOutputAsync()).MoreBody);
        Assert.True(await client.ReceiveNothingAsync());

        await services.GetRequiredService<IChannelLayer>().GroupSendAsync("pollers", new LayerMessage("poll.result") { ["text"] = "done" });

        var body = Assert.IsType<HttpResponseBodyEvent>(await client.ReceiveOutputAsync());
        Assert.False(body.MoreBody);
        Assert.Equal("done", Encoding.UTF8.GetString(body.Body.Span));

        // As a server does once the response is complete.
        await client.SendInputAsync(HttpDisconnectEvent.Instance);
        await client.WaitAsync();
    }

    [Fact]
    public async Task StreamingResponse_LayerHandlerThrows_ResponseCompletedAndErrorLogged()
    {
        var logs = new TestLoggerProvider();
        var app = Consumer.AsApplication<LongPollConsumer>();
        await using var services = TestServices.Create(app, logs);
        await using var client = new HttpCommunicator(app, "GET", "/poll/", services: services);
        await client.SendInputAsync(new HttpRequestEvent(ReadOnlyMemory<byte>.Empty));
        Assert.IsType<HttpResponseStartEvent>(await client.ReceiveOutputAsync());
        Assert.True(Assert.IsType<HttpResponseBodyEvent>(await client.ReceiveOutputAsync()).MoreBody);

        await services.GetRequiredService<IChannelLayer>().GroupSendAsync("pollers", new LayerMessage("poll.unknown"));

        var last = Assert.IsType<HttpResponseBodyEvent>(await client.ReceiveOutputAsync());
        Assert.False(last.MoreBody);
        Assert.Single(logs.AtLeast(LogLevel.Error));
        await client.SendInputAsync(HttpDisconnectEvent.Instance);
        await client.WaitAsync();
    }

    private sealed class UpperConsumer : HttpConsumer
    {
        protected override ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            SendResponseAsync(200, $"{Encoding.UTF8.GetString(body.Span).ToUpperInvariant()}|{Scope.Method}|{Scope.QueryString}", cancellationToken: cancellationToken);
    }

    private sealed class FailingConsumer : HttpConsumer
    {
        protected override ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken view");
    }

    private sealed class LongPollConsumer : HttpConsumer
    {
        protected override async ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            await GroupAddAsync("pollers", cancellationToken);
            await SendHeadersAsync(200, [new("content-type", "text/plain")], cancellationToken);
            await SendBodyAsync(ReadOnlyMemory<byte>.Empty, moreBody: true, cancellationToken);
        }

        public ValueTask PollResultAsync(LayerMessage message, CancellationToken cancellationToken) =>
            SendBodyAsync(Encoding.UTF8.GetBytes(message.GetString("text")), cancellationToken: cancellationToken);
    }
}
