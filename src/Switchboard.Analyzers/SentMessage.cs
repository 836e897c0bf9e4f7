using Microsoft.CodeAnalysis;

namespace Switchboard.Analyzers;

/// <summary>A <c>new LayerMessage("type")</c> with a constant type, and the named channel it goes to when that is plain.</summary>
internal sealed class SentMessage
{
    public SentMessage(string type, Location location, string? channel)
    {
        Type = type;
        Location = location;
        Channel = channel;
    }

    public string Type { get; }

    public Location Location { get; }

    /// <summary>The constant <c>channel</c> argument of the call the message is passed to (<c>SendAsync("thumbnails", ...)</c>), if any.</summary>
    public string? Channel { get; }
}
