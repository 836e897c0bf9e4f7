namespace Switchboard.Reliability.Fuzzing;

/// <summary>A fuzz run: which input classes, for how long each, from which seed.</summary>
internal sealed record FuzzOptions
{
    public static readonly IReadOnlyList<string> AllClasses = [FrameFuzzer.Class, JsonFuzzer.Class, HandshakeFuzzer.Class, HttpBodyFuzzer.Class];

    public int Seed { get; init; } = 1;

    /// <summary>Gets how long each class runs.</summary>
    public TimeSpan PerClass { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets the most inputs each class tries, whatever the time.</summary>
    public int MaxInputsPerClass { get; init; } = 1_000_000;

    public IReadOnlyList<string> Classes { get; init; } = AllClasses;

    /// <summary>Gets one input to replay (its class and index), instead of a timed run.</summary>
    public (string Class, int Index)? Replay { get; init; }

    public bool Verbose { get; init; }

    /// <summary>Gets the well-behaved clients chatting in the room throughout.</summary>
    public int CalmClients { get; init; } = 4;

    /// <summary>The random source of one input: the same seed, class and index give the same input.</summary>
    public Random InputRandom(string inputClass, int index) =>
        new(unchecked((Seed * 1_000_003) + (AllClasses.ToList().IndexOf(inputClass) * 100_000_007) + index));
}
