using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Routing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>The worker's options validation, its log category and its handled/failed counters.</summary>
public class ChannelWorkerDiagnosticsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void AddWorker_ConcurrencyZero_OptionsFailNamingTheSetting()
    {
        using var services = TestServices.Create(new ProtocolTypeRouter(), configure: s =>
        {
            new Builder(s).AddWorker("jobs");
            s.Configure<WorkerOptions>(o => o.Concurrency = 0);
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WorkerOptions>>().Value);
        Assert.Contains("WorkerOptions.Concurrency must be at least 1 instance; it is 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_OneMessageFailsAndTwoSucceed_CountedByChannel_FailureLoggedUnderWorkersAndConsumers()
    {
        // A channel of this test's own: the meter of a container without a meter factory is process-wide.
        var channel = "jobs-" + Guid.NewGuid().ToString("N");
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardDiagnostics.MeterName && instrument.Name.StartsWith("switchboard.worker.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "switchboard.channel" && (string?)tag.Value == channel)
                {
                    lock (counts)
                    {
                        counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
                    }
                }
            }
        });
        listener.Start();

        var logs = new TestLoggerProvider();
        await using var services = TestServices.Create(
            new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter().Map<FlakyJobConsumer>(channel) },
            logs,
            s => new Builder(s).AddWorker(channel));
        var worker = Assert.Single(services.GetServices<IHostedService>());
        await worker.StartAsync(CancellationToken.None);
        var layer = services.GetRequiredService<IChannelLayer>();
        await layer.SendAsync(channel, new LayerMessage("job.ok"));
        await layer.SendAsync(channel, new LayerMessage("job.fail"));
        await layer.SendAsync(channel, new LayerMessage("job.ok"));

        // The last message counts when the worker asks for the next one; wait for it, bounded.
        for (var i = 0; i < 100 && Total("switchboard.worker.handled.messages") < 2; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        await worker.StopAsync(CancellationToken.None).WaitAsync(s_timeout);
        Assert.Equal(2, Total("switchboard.worker.handled.messages"));
        Assert.Equal(1, Total("switchboard.worker.failed.messages"));
        Assert.Contains(logs.Entries, e => e.Category == SwitchboardDiagnostics.WorkersLogCategory && e.EventId.Name == "WorkerStarted" && e.EventId.Id == 4000);
        Assert.Contains(logs.Entries, e => e.Category == SwitchboardDiagnostics.ConsumersLogCategory && e.EventId.Name == "HandlerFailed" && e.EventId.Id == 2000);

        long Total(string name)
        {
            lock (counts)
            {
                return counts.GetValueOrDefault(name);
            }
        }
    }

    private sealed class Builder(IServiceCollection services) : ISwitchboardBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    public sealed class FlakyJobConsumer : Consumer
    {
        public Task JobOkAsync(LayerMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task JobFailAsync(LayerMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The job failed, as the test asks.");
    }
}
