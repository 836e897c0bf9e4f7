using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>Random JSON texts (<see cref="JsonInputs"/>) as text messages to <c>/ws/chat/{room}/</c>, whole or fragmented.</summary>
internal static class JsonFuzzer
{
    public const string Class = "json";

    public static Task RunOneAsync(FuzzContext context, int index, Random random)
    {
        var text = JsonInputs.Text(random);
        var frame = new ClientFrame(ClientFrame.Text, Encoding.UTF8.GetBytes(text)) { MaskKey = (uint)random.NextInt64(uint.MaxValue + 1L) };
        return FrameFuzzer.RunOneAsync(context, index, random, Class, new FrameInput("json", [frame], []));
    }
}
