namespace Switchboard.Reliability.Fuzzing;

internal static class HttpBodyFuzzer
{
    public const string Class = "http";

    public static Task RunOneAsync(FuzzContext context, int index, Random random) => Task.CompletedTask;
}
