using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class HttpScopeTests
{
    [Fact]
    public async Task Request_BodyArrivesInChunks_ResponseCarriesStatusHeadersAndBody()
    {
        var chunks = new List<HttpRequestEvent>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            using var body = new MemoryStream();
            for (var i = 0; i < 10_000; i++)
            {
                var chunk = Assert.IsType<HttpRequestEvent>(await receive(default));
                chunks.Add(chunk);
                body.Write(chunk.Body.Span);
                if (!chunk.MoreBody)
                {
                    break;
                }
            }

            await send(new HttpResponseStartEvent(201, [new("content-type", "text/plain"), new("x-multi", "1"), new("x-multi", "2")]), default);
            await send(new HttpResponseBodyEvent(Encoding.UTF8.GetBytes($"got {body.Length} bytes")), default);
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        using var response = await http.PostAsync("/upload", new ByteArrayContent(new byte[300_000])).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("got 300000 bytes", await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal(["1", "2"], response.Headers.GetValues("x-multi"));
        Assert.Equal(16, response.Content.Headers.ContentLength);
        Assert.False(chunks[^1].MoreBody);
        Assert.All(chunks.SkipLast(1), c => Assert.True(c.MoreBody));
    }

    [Fact]
    public async Task Request_WithoutBody_GetsOneEmptyFinalChunkAndDisconnectAfterTheResponse()
    {
        var events = new TaskCompletionSource<(ApplicationEvent Request, ApplicationEvent AfterResponse)>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            var request = await receive(default);
            await send(new HttpResponseStartEvent(200), default);
            await send(new HttpResponseBodyEvent("ok"u8.ToArray()), default);
            events.TrySetResult((request, await receive(default)));
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        Assert.Equal("ok", await http.GetStringAsync("/").DefaultTimeout());

        var (request, after) = await events.Task.DefaultTimeout();
        var chunk = Assert.IsType<HttpRequestEvent>(request);
        Assert.True(chunk.Body.IsEmpty);
        Assert.False(chunk.MoreBody);
        Assert.IsType<HttpDisconnectEvent>(after);
    }

    [Fact]
    public async Task Response_WithMoreBody_IsStreamedChunkByChunk()
    {
        var secondChunk = new TaskCompletionSource();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new HttpResponseStartEvent(200, [new("content-type", "text/event-stream")]), default);
            await send(new HttpResponseBodyEvent("data: one\n\n"u8.ToArray(), moreBody: true), default);
            await secondChunk.Task;
            await send(new HttpResponseBodyEvent("data: two\n\n"u8.ToArray(), moreBody: true), default);
            await send(new HttpResponseBodyEvent(default), default);
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().DefaultTimeout());

        // The first chunk arrives while the application still holds the second one back.
        Assert.Equal("data: one", await reader.ReadLineAsync().DefaultTimeout());
        secondChunk.TrySetResult();
        Assert.Equal("", await reader.ReadLineAsync().DefaultTimeout());
        Assert.Equal("data: two", await reader.ReadLineAsync().DefaultTimeout());
    }

    [Fact]
    public async Task LongPoll_ClientGoesAway_ApplicationReceivesDisconnect()
    {
        var disconnected = new TaskCompletionSource<ApplicationEvent>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new HttpResponseStartEvent(200), default);
            await send(new HttpResponseBodyEvent(default, moreBody: true), default);
            disconnected.TrySetResult(await receive(default));
        });
        await using var server = await KestrelTestServer.StartAsync(application);

        // No draining of the unfinished response on dispose: the client closes the connection at once.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseAddress };

        var response = await http.GetAsync("/poll", HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        response.Dispose();
        http.Dispose();

        Assert.IsType<HttpDisconnectEvent>(await disconnected.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Request_BodyOverKestrelsLimit_ApplicationGetsDisconnectAndClientGets413()
    {
        var received = new TaskCompletionSource<ApplicationEvent>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var next = await receive(default);
                if (next is not HttpRequestEvent { MoreBody: true })
                {
                    received.TrySetResult(next);
                    return;
                }
            }
        });
        await using var server = await KestrelTestServer.StartAsync(
            application,
            configureBuilder: builder => builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1000));
        using var http = server.CreateHttpClient();

        using var response = await http.PostAsync("/upload", new ByteArrayContent(new byte[5000])).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.IsType<HttpDisconnectEvent>(await received.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Request_BodyOverKestrelsLimit_ApplicationAnswersWithItsOwnStatusAndHeaders()
    {
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            for (var i = 0; i < 1000 && await receive(default) is HttpRequestEvent { MoreBody: true }; i++)
            {
            }

            await send(new HttpResponseStartEvent(422, [new("x-reason", "too big for us")]), default);
            await send(new HttpResponseBodyEvent("rejected"u8.ToArray()), default);
        });
        await using var server = await KestrelTestServer.StartAsync(
            application,
            configureBuilder: builder => builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1000));
        using var http = server.CreateHttpClient();

        using var response = await http.PostAsync("/upload", new ByteArrayContent(new byte[5000])).DefaultTimeout();

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Equal("too big for us", response.Headers.GetValues("x-reason").Single());
        Assert.Equal("rejected", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Application_ThrowsBeforeStartingTheResponse_Answers500AndLogs()
    {
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            throw new InvalidOperationException("view failed");
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync("/").DefaultTimeout()).StatusCode);
        var entry = await server.Logs.WaitForEventAsync("HttpApplicationFailed").DefaultTimeout();
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("view failed", entry.Exception?.Message);
    }

    [Fact]
    public async Task Application_ReturnsWithoutAResponse_Answers500AndLogs()
    {
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create((scope, receive, send) => Task.CompletedTask));
        using var http = server.CreateHttpClient();

        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync("/").DefaultTimeout()).StatusCode);
        await server.Logs.WaitForEventAsync("HttpNoResponse").DefaultTimeout();
    }

    [Fact]
    public async Task Application_ReturnsBeforeTheLastChunk_ResponseIsCompleted()
    {
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            await send(new HttpResponseStartEvent(202), default);
            await send(new HttpResponseBodyEvent("partial"u8.ToArray(), moreBody: true), default);
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync("/").DefaultTimeout();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("partial", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task Send_BodyBeforeStartOrAfterTheEnd_ThrowsInvalidOperationException()
    {
        var errors = new TaskCompletionSource<(Exception BeforeStart, Exception AfterEnd, Exception WrongType)>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            var beforeStart = await Assert.ThrowsAsync<InvalidOperationException>(async () => await send(new HttpResponseBodyEvent(default), default));
            var wrongType = await Assert.ThrowsAsync<InvalidOperationException>(async () => await send(new WebSocketAcceptEvent(), default));
            await send(new HttpResponseStartEvent(200), default);
            await send(new HttpResponseBodyEvent("done"u8.ToArray()), default);
            var afterEnd = await Assert.ThrowsAsync<InvalidOperationException>(async () => await send(new HttpResponseBodyEvent(default), default));
            errors.TrySetResult((beforeStart, afterEnd, wrongType));
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        Assert.Equal("done", await http.GetStringAsync("/").DefaultTimeout());
        var (beforeStart, afterEnd, wrongType) = await errors.Task.DefaultTimeout();
        Assert.Contains("http.response.start", beforeStart.Message, StringComparison.Ordinal);
        Assert.Contains("complete", afterEnd.Message, StringComparison.Ordinal);
        Assert.Contains("websocket.accept", wrongType.Message, StringComparison.Ordinal);
    }
}
