namespace Switchboard.Reliability.Soak;

/// <summary>A churn soak: how long, how many connections a wave, over how many rooms.</summary>
internal sealed record SoakOptions
{
    public string ChatDll { get; init; } = "samples/Chat/bin/Release/net10.0/Chat.dll";

    /// <summary>Gets how long waves keep starting; the checks after them take about half a minute more.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the most waves, whatever the time.</summary>
    public int MaxWaves { get; init; } = 500;

    public int ConnectionsPerWave { get; init; } = 2000;

    /// <summary>Gets the rooms churners join (<c>churn-0</c>...); one in ten joins a chatters' room instead.</summary>
    public int Rooms { get; init; } = 20;

    /// <summary>Gets the rooms of the chatters, who stay connected and chat throughout.</summary>
    public int ChatterRooms { get; init; } = 2;

    public int ChattersPerRoom { get; init; } = 3;

    public int Seed { get; init; } = 1;

    /// <summary>Gets how many waves pass between the snapshots that show the trend.</summary>
    public int SnapshotEvery { get; init; } = 10;

    /// <summary>Gets the quick run: 30 s of waves of 1,000 (smaller first waves stay below the working set the later ones
    /// reach, and RSS would be compared with a level never meant to hold).</summary>
    public static SoakOptions Quick { get; } = new() { Duration = TimeSpan.FromSeconds(30), ConnectionsPerWave = 1000, SnapshotEvery = 5 };
}
