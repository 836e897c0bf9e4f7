using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.AspNetCore;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class ServerOptionsTests
{
    [Fact]
    public void Defaults_MatchDaphneWhereDaphneHasOne()
    {
        var options = new SwitchboardServerOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), options.AcceptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ApplicationCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CloseHandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAliveTimeout);
        Assert.Equal(1024 * 1024, options.MaxIncomingMessageSize);
        Assert.Equal(int.MaxValue, options.OutboundQueueCapacity);
        Assert.Equal(4L * 1024 * 1024, options.OutboundQueueMaxBytes);
        Assert.Equal(WebSocketOverflowPolicy.CloseConnection, options.OverflowPolicy);
    }

    [Fact]
    public void ConfigureServer_FromConfiguration_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Server:AcceptTimeout"] = "00:00:02",
            ["Switchboard:Server:ApplicationCloseTimeout"] = "00:00:03",
            ["Switchboard:Server:CloseHandshakeTimeout"] = "00:00:04",
            ["Switchboard:Server:KeepAliveInterval"] = "00:00:15",
            ["Switchboard:Server:KeepAliveTimeout"] = "00:00:45",
            ["Switchboard:Server:MaxIncomingMessageSize"] = "65536",
            ["Switchboard:Server:OutboundQueueCapacity"] = "64",
            ["Switchboard:Server:OutboundQueueMaxBytes"] = "1048576",
            ["Switchboard:Server:OverflowPolicy"] = "DropOldest",
        }).Build();
        var services = new ServiceCollection();
        services.AddSwitchboard(TestApplications.Echo()).ConfigureServer(configuration.GetSection("Switchboard:Server"));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SwitchboardServerOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(2), options.AcceptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ApplicationCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), options.CloseHandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(45), options.KeepAliveTimeout);
        Assert.Equal(65536, options.MaxIncomingMessageSize);
        Assert.Equal(64, options.OutboundQueueCapacity);
        Assert.Equal(1048576, options.OutboundQueueMaxBytes);
        Assert.Equal(WebSocketOverflowPolicy.DropOldest, options.OverflowPolicy);
    }

    [Fact]
    public async Task MapSwitchboard_InvalidOptions_ThrowsNamingEachProblem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => KestrelTestServer.StartAsync(
            TestApplications.Echo(),
            options =>
            {
                options.AcceptTimeout = TimeSpan.Zero;
                options.OutboundQueueCapacity = 0;
                options.OverflowPolicy = (WebSocketOverflowPolicy)42;
            }));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("AcceptTimeout", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OutboundQueueCapacity", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OverflowPolicy", StringComparison.Ordinal));
    }
}
