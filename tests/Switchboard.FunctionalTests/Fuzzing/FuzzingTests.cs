using System.Globalization;
using Switchboard.Reliability.Fuzzing;
using Xunit.Abstractions;

namespace Switchboard.FunctionalTests.Fuzzing;

/// <summary>
/// The fuzzers' short runs: a fixed number of seeded inputs per class against the reference app on real Kestrel, with
/// well-behaved chat clients in the room throughout. Each input must get its documented close code or status, the
/// server must log no error, and the clients must lose nothing. The long run is <c>scripts/fuzz.sh</c>
/// (docs/reliability.md); <c>SWITCHBOARD_FUZZ_SEED</c> changes the seed here too.
/// </summary>
public sealed class FuzzingTests(ITestOutputHelper output)
{
    private static readonly int s_seed =
        int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261203;

    [Theory]
    [InlineData(FrameFuzzer.Class, 400)]
    [InlineData(JsonFuzzer.Class, 600)]
    [InlineData(HandshakeFuzzer.Class, 600)]
    [InlineData(HttpBodyFuzzer.Class, 400)]
    public async Task Fuzz_SeededInputs_EachGetsItsDocumentedOutcome(string inputClass, int inputs)
    {
        // Bounded by count (the same inputs every run) and by time (a generous cap for a busy machine).
        var report = await FuzzRun.RunAsync(new FuzzOptions
        {
            Seed = s_seed,
            Classes = [inputClass],
            MaxInputsPerClass = inputs,
            PerClass = TimeSpan.FromMinutes(3),
        });

        output.WriteLine(report.ToString());
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(inputs, report.Tried[inputClass]);
        Assert.True(report.CalmReceived > 0, "the well-behaved clients chatted throughout");
    }
}
