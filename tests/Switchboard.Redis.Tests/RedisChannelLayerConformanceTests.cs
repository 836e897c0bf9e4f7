using Switchboard.Redis.Tests.Infrastructure;
using Switchboard.Specification.Tests;

namespace Switchboard.Redis.Tests;

/// <summary>The shipped conformance suite against the Redis layer on a real redis-server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisChannelLayerConformanceTests(RedisServerFixture redis) : ChannelLayerTestsBase
{
    protected override IChannelLayer CreateLayer(ChannelLayerTestOptions options)
    {
        var layerOptions = new RedisChannelLayerOptions
        {
            Prefix = RedisServerFixture.UniquePrefix(),
            Expiry = options.Expiry,
            GroupExpiry = options.GroupExpiry,
            Capacity = options.Capacity,
        };
        layerOptions.Hosts.Add(redis.Server.Url);
        foreach (var rule in options.ChannelCapacities)
        {
            layerOptions.ChannelCapacities.Add(rule);
        }

        return new RedisChannelLayer(layerOptions);
    }
}
