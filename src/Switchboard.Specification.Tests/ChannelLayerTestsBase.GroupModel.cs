using System.Globalization;
using System.Text;
using Xunit;

namespace Switchboard.Specification.Tests;

public abstract partial class ChannelLayerTestsBase
{
    private const int ModelChannelCount = 12;
    private const int ModelGroupCount = 3;

    // Group expiry in the model run, and the step by which an expiry step moves time: two steps expire a membership,
    // one does not, so a layer on a real clock has a whole step of margin on either side of every boundary.
    private static readonly TimeSpan s_modelGroupExpiry = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_modelTimeStep = TimeSpan.FromSeconds(2);

    /// <summary>Gets how many random operations one seeded model run performs; a layer on a real network may lower it.</summary>
    protected virtual int GroupModelSteps => 3000;

    /// <summary>Gets how many of those operations let time pass (group expiry). Each costs
    /// <see cref="s_modelTimeStep"/> on a layer whose <see cref="AdvanceTimeAsync"/> waits in real time.</summary>
    protected virtual int GroupModelTimeSteps => 30;

    /// <summary>Model-based test of group membership: a seeded random sequence of joins, leaves, re-joins, expiries and
    /// group sends, checked after every step against a plain dictionary model of who is a member of what. After each
    /// step a group send to the touched group (every group after time passes) must reach exactly the model's members,
    /// once each, and nothing else may be queued on any channel.</summary>
    /// <param name="seed">The random seed; a failure names it with the steps that led there.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(1)]
    [InlineData(20260)]
    [InlineData(777_001)]
    public async Task GroupMembership_RandomOperations_MatchTheModel(int seed)
    {
        var layer = Layer(new ChannelLayerTestOptions { GroupExpiry = s_modelGroupExpiry });
        var random = new Random(seed);
        var channels = Enumerable.Range(0, ModelChannelCount).Select(i => $"model.c{i}").ToArray();
        var groups = Enumerable.Range(0, ModelGroupCount).Select(i => $"model.g{i}").ToArray();

        // The model: group -> (channel -> the time step of its last add).
        var model = groups.ToDictionary(g => g, _ => new Dictionary<string, int>(StringComparer.Ordinal), StringComparer.Ordinal);
        var now = 0;
        var history = new StringBuilder();
        var timeStepsLeft = GroupModelTimeSteps;
        long sequence = 0;

        for (var step = 0; step < GroupModelSteps; step++)
        {
            var group = groups[random.Next(groups.Length)];
            var channel = channels[random.Next(channels.Length)];
            var roll = random.Next(100);
            string[] touched = [group];
            string operation;

            // Time steps are spread evenly over the run, so expiries happen throughout it.
            if (timeStepsLeft > 0 && random.Next(GroupModelSteps - step) < timeStepsLeft)
            {
                timeStepsLeft--;
                await AdvanceTimeAsync(s_modelTimeStep);
                now++;
                foreach (var members in model.Values)
                {
                    foreach (var expired in members.Where(m => now - m.Value >= 2).Select(m => m.Key).ToList())
                    {
                        members.Remove(expired);
                    }
                }

                touched = groups;
                operation = "time passes";
            }
            else if (roll < 45)
            {
                await layer.GroupAddAsync(group, channel);
                operation = model[group].ContainsKey(channel) ? $"re-join {group} {channel}" : $"join {group} {channel}";
                model[group][channel] = now;
            }
            else if (roll < 80)
            {
                await layer.GroupDiscardAsync(group, channel);
                operation = $"leave {group} {channel}";
                model[group].Remove(channel);
            }
            else if (roll < 85)
            {
                // Everyone leaves the group, then one member comes back: the group is emptied and made anew.
                foreach (var member in model[group].Keys.ToList())
                {
                    await layer.GroupDiscardAsync(group, member);
                }

                model[group].Clear();
                await layer.GroupAddAsync(group, channel);
                model[group][channel] = now;
                operation = $"empty {group}, then join {channel}";
            }
            else
            {
                operation = $"send {group}";
            }

            history.Append(CultureInfo.InvariantCulture, $"{step}: {operation}\n");
            foreach (var checkedGroup in touched)
            {
                sequence++;
                await layer.GroupSendAsync(checkedGroup, Numbered("model.check", sequence));
                foreach (var member in channels)
                {
                    await AssertDeliveryMatchesModelAsync(layer, member, model[checkedGroup].ContainsKey(member), sequence, seed, checkedGroup, history);
                }
            }

            // Keep only the recent history: a failure shows the steps that led there.
            if (history.Length > 4000)
            {
                history.Remove(0, history.Length - 2000);
            }
        }
    }

    private static async Task AssertDeliveryMatchesModelAsync(
        IChannelLayer layer, string channel, bool isMember, long sequence, int seed, string group, StringBuilder history)
    {
        // A direct marker after the group send: the next message is the group's (members) or the marker (the rest).
        await layer.SendAsync(channel, new LayerMessage("model.marker") { ["n"] = sequence });
        var next = await ReceiveAsync(layer, channel);
        if (isMember)
        {
            Assert.True(
                next.Type == "model.check" && next.GetInt64("n") == sequence,
                $"Seed {seed}: {channel} is a member of {group} in the model but got '{next.Type}' instead of group send {sequence}. Recent steps:\n{history}");
            next = await ReceiveAsync(layer, channel);
        }

        Assert.True(
            next.Type == "model.marker" && next.GetInt64("n") == sequence,
            $"Seed {seed}: {channel} is {(isMember ? "" : "not ")}a member of {group} in the model but got '{next.Type}' ({next.GetInt64("n")}) where the marker {sequence} was expected. Recent steps:\n{history}");
    }
}
