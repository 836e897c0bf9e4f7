namespace Switchboard.FunctionalTests.Tracing;

/// <summary>The tests that listen to the <c>Switchboard</c> and <c>Microsoft.AspNetCore</c> activity sources: a listener
/// is process-wide, so they run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "tracing";
}
