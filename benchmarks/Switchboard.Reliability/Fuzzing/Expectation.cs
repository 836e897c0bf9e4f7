namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// What the server must do with one WebSocket input, as docs/interface-server.md and docs/consumers.md document it:
/// either keep the connection open (answering each ping with its pong and broadcasting each valid chat message, in
/// order), or close it with one of <see cref="CloseCodes"/>.
/// </summary>
internal sealed class Expectation
{
    public List<byte[]> Pongs { get; } = [];

    public List<string> Broadcasts { get; } = [];

    /// <summary>Gets the close codes the server may answer with; empty when the connection stays open.</summary>
    public IReadOnlyList<int> CloseCodes { get; private set; } = [];

    /// <summary>Gets why the connection ends (the rule of the docs), for the report.</summary>
    public string Rule { get; private set; } = "open";

    /// <summary>Gets or sets a frame to send after the input, which makes the server's verdict certain.</summary>
    public ClientFrame? Finisher { get; set; }

    public bool StaysOpen => CloseCodes.Count == 0;

    public void Close(string rule, params int[] codes)
    {
        Rule = rule;
        CloseCodes = codes;
    }
}
