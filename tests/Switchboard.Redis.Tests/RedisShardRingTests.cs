using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

public sealed class RedisShardRingTests
{
    /// <summary>The test vectors of the wire spec (§7), computed with channels_redis' own function.</summary>
    [Theory]
    [InlineData("chat", 0, 0, 0, 0)]
    [InlineData("room_42", 0, 1, 1, 2)]
    [InlineData("g", 1, 2, 2, 3)]
    [InlineData("thumbnails-generate", 0, 1, 1, 1)]
    [InlineData("specific.deb930c4ffaf44949603067583e62b57!", 0, 1, 1, 2)]
    [InlineData("specific.deb930c4ffaf44949603067583e62b57!2a90462f968444b5933dd0dcf9099d95", 0, 0, 0, 0)]
    public void GetIndex_WireSpecVectors_MatchChannelsRedis(string name, int two, int three, int four, int five)
    {
        Assert.Equal(0, RedisShardRing.GetIndex(name, 1));
        Assert.Equal(two, RedisShardRing.GetIndex(name, 2));
        Assert.Equal(three, RedisShardRing.GetIndex(name, 3));
        Assert.Equal(four, RedisShardRing.GetIndex(name, 4));
        Assert.Equal(five, RedisShardRing.GetIndex(name, 5));
    }
}
