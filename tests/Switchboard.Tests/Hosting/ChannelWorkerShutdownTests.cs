using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Routing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

public class ChannelWorkerShutdownTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StopAsync_WhileAMessageIsInHand_FinishesItWithAnUncancelledToken()
    {
        var gate = new Gate(expected: 1);
        await using var services = Create(gate, concurrency: 1);
        var worker = Assert.Single(services.GetServices<IHostedService>());
        await worker.StartAsync(CancellationToken.None);
        await services.GetRequiredService<IChannelLayer>().SendAsync("jobs", new LayerMessage("job.run"));
        await gate.AllStarted.WaitAsync(s_timeout);

        var stopping = worker.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        gate.Release();
        await stopping.WaitAsync(s_timeout);

        Assert.Equal(1, gate.Finished);
        Assert.Equal(0, gate.Cancelled);
    }

    [Fact]
    public async Task Concurrency_Two_HandlesTwoMessagesOfOneChannelAtOnce()
    {
        var gate = new Gate(expected: 2);
        await using var services = Create(gate, concurrency: 2);
        var worker = Assert.Single(services.GetServices<IHostedService>());
        await worker.StartAsync(CancellationToken.None);
        var layer = services.GetRequiredService<IChannelLayer>();

        await layer.SendAsync("jobs", new LayerMessage("job.run"));
        await layer.SendAsync("jobs", new LayerMessage("job.run"));

        // Both handlers are inside at once; with one instance the second would wait for the first.
        await gate.AllStarted.WaitAsync(s_timeout);
        gate.Release();
        await worker.StopAsync(CancellationToken.None).WaitAsync(s_timeout);
        Assert.Equal(2, gate.Finished);
    }

    private static ServiceProvider Create(Gate gate, int concurrency)
    {
        var app = new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter().Map<GatedConsumer>("jobs") };
        return TestServices.Create(app, configure: s =>
        {
            s.AddSingleton(gate);
            new Builder(s).AddWorker("jobs");
            s.Configure<WorkerOptions>(o => o.Concurrency = concurrency);
        });
    }

    private sealed class Builder(IServiceCollection services) : ISwitchboardBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    public sealed class Gate(int expected)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _finished;
        private int _cancelled;

        public Task AllStarted => _allStarted.Task;

        public int Finished => Volatile.Read(ref _finished);

        public int Cancelled => Volatile.Read(ref _cancelled);

        public void Release() => _release.TrySetResult();

        public async Task EnterAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _started) == expected)
            {
                _allStarted.TrySetResult();
            }

            await _release.Task.WaitAsync(s_timeout, CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _cancelled);
            }

            Interlocked.Increment(ref _finished);
        }
    }

    private sealed class GatedConsumer(Gate gate) : Consumer
    {
        public Task JobRunAsync(LayerMessage message, CancellationToken cancellationToken) => gate.EnterAsync(cancellationToken);
    }
}
