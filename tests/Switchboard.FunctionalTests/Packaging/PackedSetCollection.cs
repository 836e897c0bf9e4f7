namespace Switchboard.FunctionalTests.Packaging;

/// <summary>The tests of the packages: one pack for all of them, and one dotnet build at a time (two cores).</summary>
[CollectionDefinition(Name)]
public sealed class PackedSetCollection : ICollectionFixture<PackedSet>
{
    public const string Name = "Packed set";
}
