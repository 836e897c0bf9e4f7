namespace Switchboard.Reliability.Fuzzing;

internal static class HandshakeFuzzer
{
    public const string Class = "handshake";

    public static Task RunOneAsync(FuzzContext context, int index, Random random) => Task.CompletedTask;
}
