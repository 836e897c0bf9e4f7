namespace Switchboard.Tests.Tracing;

/// <summary>The tests that listen to the <c>Switchboard</c> activity source: a listener is process-wide, so they run
/// alone, after the others, and no other test's messages get a trace context meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "tracing";
}
