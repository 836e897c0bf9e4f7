using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Redis.Tests;

/// <summary>The reference app's layer selection (<c>--layer URL</c>; no option: the in-memory layer).</summary>
public sealed class ChatLayerTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6379")]
    [InlineData("rediss://cache.example:6380")]
    [InlineData("unix:///var/run/redis/redis.sock")]
    public void Configure_RedisUrl_RegistersTheRedisLayer(string url)
    {
        var services = new ServiceCollection();
        var switchboard = services.AddSwitchboard(Application.Create((_, _, _) => Task.CompletedTask));

        Chat.ChatLayer.Configure(switchboard, Chat.ChatLayer.Resolve(Configuration(url)));

        using var provider = services.BuildServiceProvider();
        Assert.IsType<RedisChannelLayer>(provider.GetRequiredService<IChannelLayer>());
    }

    [Fact]
    public void Configure_NoLayer_KeepsTheInMemoryLayer()
    {
        var services = new ServiceCollection();
        var switchboard = services.AddSwitchboard(Application.Create((_, _, _) => Task.CompletedTask));

        Chat.ChatLayer.Configure(switchboard, url: null);

        using var provider = services.BuildServiceProvider();
        Assert.IsType<InMemoryChannelLayer>(provider.GetRequiredService<IChannelLayer>());
    }

    [Fact]
    public void Configure_UnknownScheme_ThrowsNamingTheForms()
    {
        var switchboard = new ServiceCollection().AddSwitchboard(Application.Create((_, _, _) => Task.CompletedTask));

        var error = Assert.Throws<ArgumentException>(() => Chat.ChatLayer.Configure(switchboard, "memcached://host"));
        Assert.Contains("redis://host:port", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string url) =>
        new ConfigurationBuilder().AddCommandLine(["--layer", url]).Build();
}
