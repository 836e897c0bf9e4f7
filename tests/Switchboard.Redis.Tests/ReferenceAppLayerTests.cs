using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Redis.Tests;

/// <summary>The reference app's layer selection through its command line's schemes (<c>--layer URL</c>; no option:
/// the in-memory layer).</summary>
public sealed class ReferenceAppLayerTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6379")]
    [InlineData("rediss://cache.example:6380")]
    [InlineData("unix:///var/run/redis/redis.sock")]
    public async Task CreateApp_RedisUrl_UsesTheRedisLayer(string url)
    {
        await using var app = Chat.ChatServer.CreateApp(["--layer", url]);

        Assert.IsType<RedisChannelLayer>(app.Services.GetRequiredService<IChannelLayer>());
    }

    [Fact]
    public async Task CreateApp_NoLayer_KeepsTheInMemoryLayer()
    {
        await using var app = Chat.ChatServer.CreateApp([]);

        Assert.IsType<InMemoryChannelLayer>(app.Services.GetRequiredService<IChannelLayer>());
    }

    [Fact]
    public void CreateApp_UnknownScheme_ThrowsNamingTheFix()
    {
        var error = Assert.ThrowsAny<Exception>(() => Chat.ChatServer.CreateApp(["--layer", "memcached://host"]));

        Assert.Contains("memcached", error.Message, StringComparison.Ordinal);
        Assert.Contains("MapLayerScheme", error.Message, StringComparison.Ordinal);
    }
}
