using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Routing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

public class ChannelWorkerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Worker_HandlesJobsInOrder_AndReplacesAFailedInstance()
    {
        var logs = new TestLoggerProvider();
        var app = new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter().Map<JobConsumer>("jobs") };
        var done = Channel.CreateUnbounded<string>();
        await using var services = TestServices.Create(app, logs, s =>
        {
            s.AddSingleton(done.Writer);
            new SwitchboardBuilderAccessor(s).AddWorker("jobs");
        });
        var worker = Assert.Single(services.GetServices<IHostedService>());
        var layer = services.GetRequiredService<IChannelLayer>();
        await worker.StartAsync(CancellationToken.None);

        foreach (var job in new[] { "a", "b", "fail", "c" })
        {
            await layer.SendAsync("jobs", new LayerMessage("job.run") { ["name"] = job });
        }

        Assert.Equal("a", await done.Reader.ReadAsync().AsTask().WaitAsync(s_timeout));
        Assert.Equal("b", await done.Reader.ReadAsync().AsTask().WaitAsync(s_timeout));
        Assert.Equal("c", await done.Reader.ReadAsync().AsTask().WaitAsync(s_timeout));
        var error = Assert.Single(logs.AtLeast(LogLevel.Error));
        Assert.Contains("job.run", error.Message);

        await worker.StopAsync(CancellationToken.None).WaitAsync(s_timeout);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "WorkerStopped");
    }

    [Fact]
    public void AddWorker_InvalidOrProcessSpecificChannel_Throws()
    {
        var builder = new SwitchboardBuilderAccessor(new ServiceCollection());

        Assert.Throws<ArgumentException>(() => builder.AddWorker("bad name"));
    }

    [Fact]
    public async Task Worker_NoRouteForTheChannel_LogsTheFix()
    {
        var logs = new TestLoggerProvider();
        var app = new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter().Map<JobConsumer>("jobs") };
        await using var services = TestServices.Create(app, logs, s => new SwitchboardBuilderAccessor(s).AddWorker("other"));
        var worker = Assert.Single(services.GetServices<IHostedService>());

        await worker.StartAsync(CancellationToken.None);
        await ((BackgroundService)worker).ExecuteTask!.WaitAsync(s_timeout);

        Assert.Contains(logs.AtLeast(LogLevel.Error), e => e.EventId.Name == "WorkerNoApplication" && e.Message.Contains("ChannelNameRouter"));
    }

    private sealed class SwitchboardBuilderAccessor(IServiceCollection services) : ISwitchboardBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class JobConsumer(ChannelWriter<string> done) : Consumer
    {
        public async Task JobRunAsync(LayerMessage message, CancellationToken cancellationToken)
        {
            var name = message.GetString("name");
            if (name == "fail")
            {
                throw new InvalidOperationException("job failed");
            }

            await done.WriteAsync(name, cancellationToken);
        }
    }
}
