using System.Net;
using System.Text.Json;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests;

/// <summary><c>GET /healthz</c> of the reference app on the Redis layer, with a real redis-server that the test stops
/// and starts again.</summary>
public sealed class RedisHealthTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Healthz_RedisStopped_503NamingTheLayerCheck_ThenHealthyWhenItIsBack()
    {
        await using var app = await RedisChatApp.StartAsync(_redis.Url, prefix: $"health{Guid.NewGuid():N}:");
        var (healthy, body) = await GetAsync(app.Http);
        Assert.Equal(HttpStatusCode.OK, healthy);
        Assert.Contains("answered PING", Layer(body).GetProperty("description").GetString(), StringComparison.Ordinal);

        await _redis.StopAsync();
        var (down, downBody) = await GetAsync(app.Http);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal("Unhealthy", downBody.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Layer(downBody).GetProperty("status").GetString());
        Assert.Contains(_redis.Url, Layer(downBody).GetProperty("description").GetString(), StringComparison.Ordinal);

        await _redis.StartAgainAsync();
        var (back, _) = await GetAsync(app.Http);
        for (var attempt = 0; attempt < 50 && back != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            (back, _) = await GetAsync(app.Http);
        }

        Assert.Equal(HttpStatusCode.OK, back);
    }

    private static JsonElement Layer(JsonElement body) => body.GetProperty("checks").GetProperty("switchboard.layer");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/healthz");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
