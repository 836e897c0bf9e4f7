using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests;

/// <summary>Registration, configuration binding and the host URL forms (TCP with password and database, Unix socket)
/// against real redis-servers.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisChannelLayerRegistrationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task AddRedisChannelLayer_OptionsBoundFromConfiguration_AreUsedByTheLayer()
    {
        var prefix = RedisServerFixture.UniquePrefix();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Redis:Hosts:0"] = redis.Server.Url,
            ["Switchboard:Redis:Prefix"] = prefix,
            ["Switchboard:Redis:Expiry"] = "00:00:30",
            ["Switchboard:Redis:Capacity"] = "2",
            ["Switchboard:Redis:OperationTimeout"] = "00:00:02",
            ["Switchboard:Redis:SymmetricEncryptionKeys:0"] = "key-one",
        }).Build();
        var services = new ServiceCollection();
        services.AddSwitchboard(IApplication.Create((_, _, _) => Task.CompletedTask)).AddRedisChannelLayer();
        services.Configure<RedisChannelLayerOptions>(configuration.GetSection("Switchboard:Redis"));
        await using var provider = services.BuildServiceProvider();

        var layer = Assert.IsType<RedisChannelLayer>(provider.GetRequiredService<IChannelLayer>());
        Assert.Same(layer, provider.GetRequiredKeyedService<IChannelLayer>("default"));
        Assert.Equal([redis.Server.Url], layer.Hosts);
        await layer.SendAsync("jobs", new LayerMessage("job"));
        await layer.SendAsync("jobs", new LayerMessage("job"));
        var full = await Assert.ThrowsAsync<ChannelFullException>(async () => await layer.SendAsync("jobs", new LayerMessage("job")));
        Assert.Equal(2, full.Capacity);
        Assert.InRange(int.Parse(await redis.Server.CliAsync("TTL", prefix + "jobs"), System.Globalization.CultureInfo.InvariantCulture), 25, 30);
        Assert.Contains("gAAAAA", await redis.Server.CliAsync("--no-raw", "ZRANGE", prefix + "jobs", "0", "0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRedisChannelLayer_SecondAlias_IsAKeyedLayerNextToTheDefault()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(IApplication.Create((_, _, _) => Task.CompletedTask)).AddRedisChannelLayer(redis.Server.Url, alias: "redis");
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryChannelLayer>(provider.GetRequiredService<IChannelLayer>());
        Assert.IsType<RedisChannelLayer>(provider.GetRequiredKeyedService<IChannelLayer>("redis"));
    }

    [Fact]
    public async Task AddRedisChannelLayer_BadHost_FailsTheStartNamingIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSwitchboard(IApplication.Create((_, _, _) => Task.CompletedTask)).AddRedisChannelLayer("http://127.0.0.1:6379");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("redis://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnixSocketUrl_WithDatabase_SendsAndReceives()
    {
        var prefix = RedisServerFixture.UniquePrefix();
        var options = new RedisChannelLayerOptions { Prefix = prefix };
        options.Hosts.Add($"unix://{redis.Server.UnixSocket}?db=2");
        await using var layer = new RedisChannelLayer(options);

        await layer.SendAsync("over.unix", new LayerMessage("hello"));
        Assert.Equal("1", await redis.Server.CliAsync("-n", "2", "ZCARD", prefix + "over.unix"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", (await layer.ReceiveAsync("over.unix", timeout.Token)).Type);
    }

    [Fact]
    public async Task PasswordUrl_RightPassword_Works_WrongPassword_FailsClearly()
    {
        await using var secured = await RedisServer.StartAsync("--requirepass", "s3cret");
        var good = new RedisChannelLayerOptions { Prefix = "auth", OperationTimeout = TimeSpan.FromSeconds(2) };
        good.Hosts.Add($"redis://:s3cret@127.0.0.1:{secured.Port}/1");
        await using var layer = new RedisChannelLayer(good);
        var channel = await layer.NewChannelAsync();
        await layer.SendAsync(channel, new LayerMessage("hello"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", (await layer.ReceiveAsync(channel, timeout.Token)).Type);

        var bad = new RedisChannelLayerOptions { Prefix = "auth", OperationTimeout = TimeSpan.FromSeconds(2) };
        bad.Hosts.Add($"redis://:wrong@127.0.0.1:{secured.Port}/1");
        await using var refused = new RedisChannelLayer(bad);
        var error = await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await refused.SendAsync("jobs", new LayerMessage("job")));
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
        Assert.Contains("***", error.Host, StringComparison.Ordinal);
    }
}
