namespace Switchboard.Reliability.Fuzzing;

/// <summary>One WebSocket input: its family (for the report), its frames, and how its bytes are split into writes.</summary>
internal sealed record FrameInput(string Family, IReadOnlyList<ClientFrame> Frames, IReadOnlyList<int> Pieces)
{
    public override string ToString() => $"{Family}: {string.Join(" ", Frames)}" + (Pieces.Count > 0 ? $" written in pieces {string.Join(",", Pieces)}" : "");
}
