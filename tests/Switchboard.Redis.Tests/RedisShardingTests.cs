using Switchboard.Redis.Internal;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests;

/// <summary>Sharding over 1, 2 and 3 real redis-servers with channels_redis' CRC-32 ring: direct sends and group sends
/// reach Switchboard consumers whatever host their process key hashes to, and so do channels_redis 4.0's direct sends,
/// which hash the full channel name (its upstream bug) and land on another host.</summary>
public sealed class RedisShardingTests : IAsyncLifetime
{
    private readonly List<RedisServer> _servers = [];
    private readonly List<RedisChannelLayer> _layers = [];
    private readonly string _prefix = "shard" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await RedisServer.StartAsync());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var layer in _layers)
        {
            await layer.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task SendAndGroupSend_ToConsumersOnEveryShard_Arrive(int hostCount)
    {
        var sender = Layer(hostCount);
        var receivers = new List<RedisChannelLayer>();
        var channels = new List<string>();
        var shards = new HashSet<int>();

        // Process names are random, so eight receivers miss a host now and then (1 run in 128 with two hosts):
        // add receivers until every host has one, at most 40 (a host is then missed 1 run in 3 million).
        while (receivers.Count < 8 || (shards.Count < hostCount && receivers.Count < 40))
        {
            var receiver = Layer(hostCount);
            var channel = await receiver.NewChannelAsync();
            receivers.Add(receiver);
            channels.Add(channel);
            shards.Add(RedisShardRing.GetIndex(ChannelNames.GetProcessPart(channel), hostCount));
            await sender.GroupAddAsync("everyone", channel);
        }

        Assert.True(shards.Count == hostCount, $"{receivers.Count} receivers should cover all {hostCount} hosts.");

        for (var i = 0; i < receivers.Count; i++)
        {
            await sender.SendAsync(channels[i], new LayerMessage("direct") { ["n"] = (long)i });
        }

        await sender.GroupSendAsync("everyone", new LayerMessage("group"));

        for (var i = 0; i < receivers.Count; i++)
        {
            Assert.Equal(i, (await ReceiveAsync(receivers[i], channels[i])).GetInt64("n"));
            Assert.Equal("group", (await ReceiveAsync(receivers[i], channels[i])).Type);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task DjangoSend_MisroutedByTheFullNameHash_StillArrives(int hostCount)
    {
        var receiver = Layer(hostCount);

        // A channel whose full name hashes to another host than its process part: where channels_redis 4.0 sends it.
        string channel;
        var attempts = 0;
        do
        {
            channel = await receiver.NewChannelAsync();
            Assert.True(++attempts < 200, "No misrouted name found in 200 tries.");
        }
        while (RedisShardRing.GetIndex(channel, hostCount) == RedisShardRing.GetIndex(ChannelNames.GetProcessPart(channel), hostCount));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var receive = receiver.ReceiveAsync(channel, timeout.Token).AsTask();
        await PythonProcess.RunAsync("channels_driver.py", null, Hosts(hostCount), _prefix, "send", channel, """{"type":"from.django","n":5}""");

        Assert.Equal(5, (await receive).GetInt64("n"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GroupSend_SwitchboardAndDjangoShareTheRing(int hostCount)
    {
        var layer = Layer(hostCount);
        var channel = await layer.NewChannelAsync();
        await layer.GroupAddAsync("room_42", channel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var receive = layer.ReceiveAsync(channel, timeout.Token).AsTask();

        // Django reads the group from the host the group name hashes to, and writes to our key's host.
        await PythonProcess.RunAsync("channels_driver.py", null, Hosts(hostCount), _prefix, "group-send", "room_42", """{"type":"chat.message","message":"sharded"}""");

        Assert.Equal("sharded", (await receive).GetString("message"));
        var groupHost = _servers[RedisShardRing.GetIndex("room_42", hostCount)];
        Assert.Contains(channel, await groupHost.CliAsync("ZRANGE", _prefix + ":group:room_42", "0", "-1"), StringComparison.Ordinal);
    }

    private static async Task<LayerMessage> ReceiveAsync(IChannelLayer layer, string channel)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await layer.ReceiveAsync(channel, timeout.Token);
    }

    private string Hosts(int count) => string.Join(",", _servers.Take(count).Select(static s => s.Url));

    private RedisChannelLayer Layer(int hostCount)
    {
        var options = new RedisChannelLayerOptions { Prefix = _prefix };
        foreach (var server in _servers.Take(hostCount))
        {
            options.Hosts.Add(server.Url);
        }

        var layer = new RedisChannelLayer(options);
        _layers.Add(layer);
        return layer;
    }
}
