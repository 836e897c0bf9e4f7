using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.CommandLine;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Functions;
using Switchboard.Routing;

namespace Switchboard.FunctionalTests.CommandLine;

/// <summary>
/// <c>runworker</c> through the real command line, on a layer shared with the test the way a Redis layer is shared
/// between processes (an in-memory layer behind a <c>shared://</c> scheme, which is not the in-process default).
/// </summary>
public class RunWorkerCommandTests
{
    [Fact]
    public async Task Runworker_RunsTheRoutedHandler_LogsAFailureAndGoesOn_AndFinishesTheMessageInHandOnStop()
    {
        using var inner = new InMemoryChannelLayer();
        var shared = new MembershipTrackingLayer(inner);
        var handled = new ConcurrentQueue<string>();
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new TestLogSink();
        IHostApplicationBuilder? workerBuilder = null;
        var application = new ProtocolTypeRouter
        {
            ["channel"] = new ChannelNameRouter
            {
                ["jobs"] = new FunctionRouter().Route("jobs", async (m, ct) =>
                {
                    switch (m.Type)
                    {
                        case "job.fail":
                            throw new InvalidOperationException("this job fails");
                        case "job.slow":
                            slowStarted.TrySetResult();
                            await releaseSlow.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
                            break;
                    }

                    handled.Enqueue(m.Type + (ct.IsCancellationRequested ? " (cancelled)" : ""));
                }),
            },
        };
        var commandLine = new SwitchboardCommandLine(
            (builder, context) =>
            {
                workerBuilder = builder;
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                context.AddChannelLayer(builder.Services.AddSwitchboard(application));
            },
            _ => throw new InvalidOperationException("runworker maps no endpoints"))
            .MapLayerScheme("shared", (switchboard, _) => switchboard.Services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(shared)));
        using var stop = new CancellationTokenSource();

        var run = commandLine.RunAsync(["runworker", "jobs", "--layer", "shared://test"], stop.Token);
        await shared.SendAsync("jobs", new LayerMessage("job.fail"));
        await shared.SendAsync("jobs", new LayerMessage("job.run"));
        await shared.SendAsync("jobs", new LayerMessage("job.slow"));
        await slowStarted.Task.DefaultTimeout();

        await stop.CancelAsync();
        await Task.Delay(200);
        Assert.False(run.IsCompleted);
        releaseSlow.TrySetResult();

        Assert.Equal(0, await run.DefaultTimeout());
        Assert.Equal(["job.run", "job.slow"], handled);
        var failure = Assert.Single(logs.Entries, e => e.EventId.Name == "FunctionWorkerHandlerFailed");
        Assert.Contains("jobs", failure.Message, StringComparison.Ordinal);
        Assert.Contains("job.fail", failure.Message, StringComparison.Ordinal);
        Assert.IsNotType<WebApplicationBuilder>(workerBuilder);
    }

    [Fact]
    public async Task Runworker_ConcurrencyTwo_HandlesTwoMessagesOfTheChannelAtOnce()
    {
        using var inner = new InMemoryChannelLayer();
        var shared = new MembershipTrackingLayer(inner);
        var inside = 0;
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var application = new ProtocolTypeRouter
        {
            ["channel"] = new ChannelNameRouter
            {
                ["jobs"] = new FunctionRouter().Route("jobs", async (m, ct) =>
                {
                    if (Interlocked.Increment(ref inside) == 2)
                    {
                        bothInside.TrySetResult();
                    }

                    // With one instance the second message would wait here until the first gave up.
                    await bothInside.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
                }),
            },
        };
        var commandLine = new SwitchboardCommandLine((builder, context) => context.AddChannelLayer(builder.Services.AddSwitchboard(application)), _ => { })
            .MapLayerScheme("shared", (switchboard, _) => switchboard.Services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(shared)));
        using var stop = new CancellationTokenSource();

        var run = commandLine.RunAsync(["runworker", "jobs", "--concurrency", "2", "--layer", "shared://test"], stop.Token);
        await shared.SendAsync("jobs", new LayerMessage("job.run"));
        await shared.SendAsync("jobs", new LayerMessage("job.run"));

        await bothInside.Task.DefaultTimeout();
        await stop.CancelAsync();
        Assert.Equal(0, await run.DefaultTimeout());
    }

    [Fact]
    public async Task Runworker_ChannelNothingRoutes_RefusesNamingTheFix()
    {
        using var inner = new InMemoryChannelLayer();
        var shared = new MembershipTrackingLayer(inner);
        var error = new StringWriter();
        var commandLine = new SwitchboardCommandLine(
            (builder, context) => context.AddChannelLayer(builder.Services.AddSwitchboard(new ProtocolTypeRouter())),
            _ => { })
        {
            Error = error,
        }.MapLayerScheme("shared", (switchboard, _) => switchboard.Services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(shared)));

        Assert.Equal(2, await commandLine.RunAsync(["runworker", "emails", "--layer", "shared://test"]).DefaultTimeout());
        Assert.Contains("ChannelNameRouter().Map<TConsumer>(\"emails\")", error.ToString(), StringComparison.Ordinal);
    }
}
