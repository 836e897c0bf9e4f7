using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests.Tracing;

/// <summary>The tests that listen to the <c>Switchboard</c> activity source, on a redis-server of their own: a listener
/// is process-wide, so they run alone, after the others, and the wire-format tests never see a trace key meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisTracingCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis-tracing";
}
