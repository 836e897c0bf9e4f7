using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.FunctionalTests.Configuration;

/// <summary>The in-memory layer's options bind from configuration (appsettings.json, environment), Channels' CHANNEL_LAYERS.</summary>
public class LayerOptionsBindingTests
{
    [Fact]
    public async Task InMemoryChannelLayerOptions_BoundFromConfiguration_AreUsedByTheLayer()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Layer:Expiry"] = "00:00:30",
            ["Switchboard:Layer:GroupExpiry"] = "02:00:00",
            ["Switchboard:Layer:Capacity"] = "5",
            ["Switchboard:Layer:ChannelCapacities:0:Pattern"] = "jobs.*",
            ["Switchboard:Layer:ChannelCapacities:0:Capacity"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddSwitchboard(IApplication.Create((_, _, _) => Task.CompletedTask));
        services.Configure<InMemoryChannelLayerOptions>(configuration.GetSection("Switchboard:Layer"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<InMemoryChannelLayerOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), options.Expiry);
        Assert.Equal(TimeSpan.FromHours(2), options.GroupExpiry);
        var rule = Assert.Single(options.ChannelCapacities);
        Assert.Equal(("jobs.*", 2), (rule.Pattern, rule.Capacity));

        var layer = provider.GetRequiredService<IChannelLayer>();
        await layer.SendAsync("jobs.resize", new LayerMessage("job"));
        await layer.SendAsync("jobs.resize", new LayerMessage("job"));
        await Assert.ThrowsAsync<ChannelFullException>(async () => await layer.SendAsync("jobs.resize", new LayerMessage("job")));
        for (var i = 0; i < 5; i++)
        {
            await layer.SendAsync("other", new LayerMessage("job"));
        }

        var full = await Assert.ThrowsAsync<ChannelFullException>(async () => await layer.SendAsync("other", new LayerMessage("job")));
        Assert.Equal(5, full.Capacity);
    }
}
