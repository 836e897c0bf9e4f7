namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>The tests that share one redis-server; xunit runs them one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
