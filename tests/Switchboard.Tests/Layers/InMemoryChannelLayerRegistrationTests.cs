using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Tests.Layers;

public sealed class InMemoryChannelLayerRegistrationTests
{
    private static readonly IApplication s_application = IApplication.Create((_, _, _) => Task.CompletedTask);

    [Fact]
    public void AddSwitchboard_RegistersTheInMemoryLayerAsTheDefault()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(s_application);
        using var provider = services.BuildServiceProvider();

        var layer = provider.GetRequiredService<IChannelLayer>();

        Assert.IsType<InMemoryChannelLayer>(layer);
        Assert.Same(layer, provider.GetRequiredService<IChannelLayer>());
        Assert.Same(layer, provider.GetRequiredService<InMemoryChannelLayer>());
        Assert.Same(layer, provider.GetRequiredKeyedService<IChannelLayer>("default"));
    }

    [Fact]
    public void AddSwitchboard_KeepsALayerRegisteredBefore_AndTheAliasFollowsIt()
    {
        var services = new ServiceCollection();
        var custom = new InMemoryChannelLayer();
        services.AddSingleton<IChannelLayer>(custom);
        services.AddSwitchboard(s_application);
        using var provider = services.BuildServiceProvider();

        Assert.Same(custom, provider.GetRequiredService<IChannelLayer>());
        Assert.Same(custom, provider.GetRequiredKeyedService<IChannelLayer>("default"));
        custom.Dispose();
    }

    [Fact]
    public async Task AddInMemoryChannelLayer_AppliesSettingsAndReplacesAnotherLayer()
    {
        var services = new ServiceCollection();
        using var other = new InMemoryChannelLayer();
        services.AddSingleton<IChannelLayer>(other);
        services.AddSwitchboard(s_application).AddInMemoryChannelLayer(options =>
        {
            options.Capacity = 1;
            options.ChannelCapacities.Add(new ChannelCapacityRule("roomy.*", 2));
        });
        using var provider = services.BuildServiceProvider();

        var layer = provider.GetRequiredService<IChannelLayer>();

        Assert.NotSame(other, layer);
        Assert.Same(provider.GetRequiredService<InMemoryChannelLayer>(), layer);
        await layer.SendAsync("tight", new LayerMessage("test"));
        await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync("tight", new LayerMessage("test")).AsTask());
        await layer.SendAsync("roomy.one", new LayerMessage("test"));
        await layer.SendAsync("roomy.one", new LayerMessage("test"));
    }

    [Fact]
    public async Task AddInMemoryChannelLayer_SecondAlias_IsASeparateKeyedLayerWithItsOwnSettings()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(s_application).AddInMemoryChannelLayer(options => options.Capacity = 1, alias: "jobs");
        using var provider = services.BuildServiceProvider();

        var jobs = provider.GetRequiredKeyedService<IChannelLayer>("jobs");
        var main = provider.GetRequiredService<IChannelLayer>();

        Assert.NotSame(main, jobs);
        Assert.Same(jobs, provider.GetRequiredKeyedService<IChannelLayer>("jobs"));
        Assert.Same(main, provider.GetRequiredKeyedService<IChannelLayer>("default"));
        await jobs.SendAsync("work", new LayerMessage("test"));
        await Assert.ThrowsAsync<ChannelFullException>(() => jobs.SendAsync("work", new LayerMessage("test")).AsTask());
        await main.SendAsync("work", new LayerMessage("test"));
        await main.SendAsync("work", new LayerMessage("test"));
    }

    [Fact]
    public void AddInMemoryChannelLayer_InvalidSettings_FailWithTheSettingName()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(s_application).AddInMemoryChannelLayer(options => options.Expiry = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChannelLayer>());

        Assert.Contains("InMemoryChannelLayerOptions.Expiry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingTheContainer_DisposesTheLayer()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(s_application);
        var provider = services.BuildServiceProvider();
        var layer = provider.GetRequiredService<IChannelLayer>();

        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await layer.SendAsync("after", new LayerMessage("test")));
    }
}
