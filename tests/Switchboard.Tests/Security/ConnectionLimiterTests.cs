using System.Net;
using System.Security.Claims;
using Switchboard.Security;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Security;

public class ConnectionLimiterTests
{
    [Fact]
    public async Task Connect_UserAtTheLimit_Refused_AnotherUserAndLaterConnectionsAdmitted()
    {
        var logs = new TestLoggerProvider();
        var limiter = new ConnectionLimiter(Accepting(), new ConnectionLimitOptions { MaxConnectionsPerUser = 2 });
        await using var services = TestServices.Create(limiter, logs);

        // One after the other: a communicator starts its application when it is built, so building them all first
        // would let the limiter count them in whatever order the thread pool runs them.
        await using var first = Connect(limiter, services, User("alice"), "10.0.0.1");
        Assert.True((await first.ConnectAsync()).Accepted);
        await using var second = Connect(limiter, services, User("alice"), "10.0.0.2");
        Assert.True((await second.ConnectAsync()).Accepted);
        await using var third = Connect(limiter, services, User("alice"), "10.0.0.3");
        Assert.False((await third.ConnectAsync()).Accepted);
        await using var bob = Connect(limiter, services, User("bob"), "10.0.0.4");
        Assert.True((await bob.ConnectAsync()).Accepted);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "UserConnectionLimitReached" && e.Message.Contains("alice", StringComparison.Ordinal));

        // A connection that ends frees its place.
        await first.DisconnectAsync();
        await first.WaitAsync();
        await using var again = Connect(limiter, services, User("alice"), "10.0.0.5");
        Assert.True((await again.ConnectAsync()).Accepted);
    }

    [Fact]
    public async Task Connect_AnonymousUsers_NotCountedPerUser()
    {
        var limiter = new ConnectionLimiter(Accepting(), new ConnectionLimitOptions { MaxConnectionsPerUser = 1 });
        await using var services = TestServices.Create(limiter);

        await using var one = Connect(limiter, services, new ClaimsPrincipal(new ClaimsIdentity()), "10.0.0.1");
        await using var two = Connect(limiter, services, new ClaimsPrincipal(new ClaimsIdentity()), "10.0.0.1");

        Assert.True((await one.ConnectAsync()).Accepted);
        Assert.True((await two.ConnectAsync()).Accepted);
    }

    [Fact]
    public async Task Connect_AddressAtTheLimit_Refused_WhateverTheUser()
    {
        var logs = new TestLoggerProvider();
        var limiter = new ConnectionLimiter(Accepting(), new ConnectionLimitOptions { MaxConnectionsPerClientAddress = 1, MaxConnectionsPerUser = 5 });
        await using var services = TestServices.Create(limiter, logs);

        await using var one = Connect(limiter, services, User("alice"), "10.0.0.9");
        Assert.True((await one.ConnectAsync()).Accepted);
        await using var two = Connect(limiter, services, User("bob"), "10.0.0.9");
        Assert.False((await two.ConnectAsync()).Accepted);
        await using var elsewhere = Connect(limiter, services, User("alice"), "10.0.0.10");
        Assert.True((await elsewhere.ConnectAsync()).Accepted);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "AddressConnectionLimitReached");
    }

    [Fact]
    public async Task Request_OverTheLimitOnHttp_Gets429()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var limiter = new ConnectionLimiter(
            IApplication.Create(async (scope, receive, send) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, scope.ConnectionClosed);
            }),
            new ConnectionLimitOptions { MaxConnectionsPerClientAddress = 1 });
        await using var services = TestServices.Create(limiter);
        await using var holding = new HttpCommunicator(limiter, "GET", "/", services: services);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await using var refused = new HttpCommunicator(limiter, "GET", "/", services: services);
        var response = await refused.GetResponseAsync();

        Assert.Equal(429, response.Status);
    }

    [Fact]
    public void Constructor_NegativeLimit_Throws() =>
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ConnectionLimiter(Accepting(), new ConnectionLimitOptions { MaxConnectionsPerUser = -1 }));

    private static WebSocketCommunicator Connect(IApplication limiter, IServiceProvider services, ClaimsPrincipal user, string address) =>
        new(IApplication.Create((scope, receive, send) =>
            limiter.InvokeAsync(scope with { User = user, Client = new IPEndPoint(IPAddress.Parse(address), 40000) }, receive, send)), "/ws/", services);

    private static ClaimsPrincipal User(string id) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, id)], "test"));

    private static IApplication Accepting() => IApplication.Create(async (scope, receive, send) =>
    {
        while (await receive(CancellationToken.None) is not WebSocketDisconnectEvent)
        {
            await send(new WebSocketAcceptEvent(), CancellationToken.None);
        }
    });
}
