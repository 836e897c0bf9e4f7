using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Routing;
using Switchboard.Testing;

namespace Switchboard.FunctionalTests.Diagnostics;

/// <summary>The workers health check behind <c>GET /healthz</c>, on real Kestrel, with a worker held on one message.</summary>
public class WorkerHealthTests
{
    [Fact]
    public async Task Healthz_WorkerOnOneMessageBeyondTheThreshold_503NamingTheWorkersCheck_ThenHealthyOnceItFinishes()
    {
        var gate = new JobGate();
        await using var server = await SwitchboardLiveServer.StartAsync(App(gate, TimeSpan.FromMilliseconds(300)));
        var (status, _) = await HealthProbe.GetAsync(server.Http);
        Assert.Equal(HttpStatusCode.OK, status);

        await server.App.Services.GetRequiredService<IChannelLayer>().SendAsync("jobs", new LayerMessage("job"));
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var (stuck, body) = await HealthProbe.WaitForAsync(server.Http, HttpStatusCode.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stuck);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var workers = HealthProbe.Check(body, "switchboard.workers");
        Assert.Equal("Unhealthy", workers.GetProperty("status").GetString());
        Assert.Contains("channel 'jobs'", workers.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("MaxWorkerMessageDuration", workers.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", HealthProbe.Check(body, "switchboard.layer").GetProperty("status").GetString());

        gate.Released.TrySetResult();
        var (recovered, _) = await HealthProbe.WaitForAsync(server.Http, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, recovered);
    }

    [Fact]
    public async Task Healthz_WorkerBusyWithinTheThreshold_200()
    {
        var gate = new JobGate();
        await using var server = await SwitchboardLiveServer.StartAsync(App(gate, TimeSpan.FromMinutes(5)));
        await server.App.Services.GetRequiredService<IChannelLayer>().SendAsync("jobs", new LayerMessage("job"));
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var (status, body) = await HealthProbe.GetAsync(server.Http);
        gate.Released.TrySetResult();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", HealthProbe.Check(body, "switchboard.workers").GetProperty("status").GetString());
    }

    [Fact]
    public void AddHealthChecks_NonPositiveThreshold_FailsTheStartNamingTheSetting()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSwitchboard(new ProtocolTypeRouter()).AddHealthChecks(o => o.MaxWorkerMessageDuration = TimeSpan.Zero);
        using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<SwitchboardHealthCheckOptions>>().Value);
        Assert.Contains("SwitchboardHealthCheckOptions.MaxWorkerMessageDuration must be positive", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication App(JobGate gate, TimeSpan threshold)
    {
        var builder = WebApplication.CreateBuilder(["--Logging:LogLevel:Default=Warning"]);
        builder.Services.AddSingleton(gate);
        builder.Services.AddSwitchboard(new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter().Map<StuckJobConsumer>("jobs") })
            .AddWorker("jobs")
            .AddHealthChecks(options => options.MaxWorkerMessageDuration = threshold);
        var app = builder.Build();
        app.MapSwitchboardHealthChecks();
        app.MapSwitchboard();
        return app;
    }
}
