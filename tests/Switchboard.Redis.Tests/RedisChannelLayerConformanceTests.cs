using Switchboard.Redis.Tests.Infrastructure;
using Switchboard.Specification.Tests;

namespace Switchboard.Redis.Tests;

/// <summary>The shipped conformance suite, scale-out cases included (two layer instances on one redis-server, as two
/// processes), against the Redis layer on a real redis-server.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisChannelLayerConformanceTests(RedisServerFixture redis) : ScaleoutChannelLayerTestsBase
{
    private readonly Dictionary<IChannelLayer, string> _prefixes = [];

    // The model test runs on the real clock here (2 s per time step, 3 s group expiry): few operations between time
    // steps keep the real time they take well inside the step's margin, also on a loaded machine; few time steps keep
    // the suite fast.
    protected override int GroupModelSteps => 120;

    protected override int GroupModelTimeSteps => 4;

    protected override IChannelLayer CreateLayer(ChannelLayerTestOptions options) => Create(options, RedisServerFixture.UniquePrefix());

    protected override IChannelLayer CreatePeerLayer(IChannelLayer first, ChannelLayerTestOptions options) => Create(options, _prefixes[first]);

    private RedisChannelLayer Create(ChannelLayerTestOptions options, string prefix)
    {
        var layerOptions = new RedisChannelLayerOptions { Prefix = prefix };
        options.CopyTo(layerOptions);
        layerOptions.Hosts.Add(redis.Server.Url);
        var layer = new RedisChannelLayer(layerOptions);
        _prefixes[layer] = prefix;
        return layer;
    }
}
